import ArgumentParser
import Foundation
import StatNet

/// What every statnet executable does around its command: the process set-up before parsing,
/// and the exit status after it, the same for `statnet` and `statnet-serve`.
public enum CommandRunner {
    /// Before any file is opened: descriptors 0-2 reserved, a reader gone made a failed write
    /// (not a SIGPIPE death), OpenBLAS's fast kernels, and the stop-signal handlers.
    public static func prepare() {
        StandardStream.reserveDescriptors()
        signal(SIGPIPE, SIG_IGN)
        BLASSetup.ensureFastKernels()
        StopRequest.installSignalHandlers()
    }

    /// Parses `arguments` as `Root` and runs the command, then ends the process: with the
    /// command's error, with 128 + signal after a stop (nothing exits 0 after one), with
    /// EX_IOERR when stdout did not take what was printed, else 0.
    public static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]) async -> Never {
        do {
            var command = try root.parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as Interrupted {
            finishOutput(root)
            note("statnet: \(error)")
            root.exit(withError: error.exitCode)
        } catch let stop as StopRequest.Stopped {
            finishOutput(root)
            note("statnet: \(stop) before the work was done; nothing partial was kept")
            root.exit(withError: ExitCode(128 + stop.signal))
        } catch TrainingError.interrupted(let epoch) {
            finishOutput(root)
            let signal = StopRequest.signal ?? SIGINT
            note("statnet: stopped by signal \(signal) at a safe point; run the same command with --resume to continue "
                 + (epoch > 0 ? "from the end of epoch \(epoch) (the epoch in progress is trained again)" : "from the start (no epoch had finished)"))
            root.exit(withError: ExitCode(128 + signal))
        } catch {
            finishOutput(root)
            root.exit(withError: error)
        }
        finishOutput(root)
        // Work that ended on its own while a stop was asked for still did not finish as asked.
        if let signal = StopRequest.signal {
            note("statnet: stopped by signal \(signal)")
            root.exit(withError: ExitCode(128 + signal))
        }
        root.exit()
    }

    /// Ends the process when stdout did not take what the command printed: quietly with the
    /// status of SIGPIPE when the reader went away (`| head`), else with a message and EX_IOERR.
    static func finishOutput<Root: ParsableCommand>(_ root: Root.Type) {
        switch StandardStream.finish() {
        case .written: return
        case .readerGone: root.exit(withError: ExitCode(128 + SIGPIPE))
        case .failed(let reason):
            note("statnet: cannot write to standard output: \(reason)")
            root.exit(withError: ExitCode(ioErrorStatus))
        }
    }

    /// EX_IOERR of sysexits.h: an output that could not be written.
    public static let ioErrorStatus: Int32 = 74
}
