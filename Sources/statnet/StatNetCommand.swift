import ArgumentParser
import Foundation
import StatNet

@main
struct StatNetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statnet",
        abstract: "StatNet (Keyork, 2023) in Swift: Boltzmann-statistics features for MNIST, the paper's models, and benchmarks.",
        version: RunInfo.version,
        subcommands: [DataCommand.self, FeaturesCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self,
                      ReproduceCommand.self, ReportCommand.self, ServeCommand.self, BenchCommand.self]
    )

    static func main() async {
        StandardStream.reserveDescriptors()   // before any file is opened
        signal(SIGPIPE, SIG_IGN)              // a reader gone is a failed write, handled below
        BLASSetup.ensureFastKernels()
        StopRequest.installSignalHandlers()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = unknownCommand(arguments) {
            note("Error: \(message)")
            Self.exit(withError: ExitCode.validationFailure)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as Interrupted {
            finishOutput()
            note("statnet: \(error)")
            Self.exit(withError: error.exitCode)
        } catch let stop as StopRequest.Stopped {
            finishOutput()
            note("statnet: \(stop) before the work was done; nothing partial was kept")
            Self.exit(withError: ExitCode(128 + stop.signal))
        } catch TrainingError.interrupted {
            finishOutput()
            let signal = StopRequest.signal ?? SIGINT
            note("statnet: stopped by signal \(signal) at a safe point; nothing is lost: run the same command with --resume to continue")
            Self.exit(withError: ExitCode(128 + signal))
        } catch {
            finishOutput()
            Self.exit(withError: error)
        }
        finishOutput()
        // Work that ended on its own while a stop was asked for still did not finish as asked.
        if let signal = StopRequest.signal {
            note("statnet: stopped by signal \(signal)")
            Self.exit(withError: ExitCode(128 + signal))
        }
    }

    /// Ends the process when stdout did not take what the command printed: quietly with the
    /// status of SIGPIPE when the reader went away (`| head`), else with a message and EX_IOERR.
    static func finishOutput() {
        switch StandardStream.finish() {
        case .written: return
        case .readerGone: Self.exit(withError: ExitCode(128 + SIGPIPE))
        case .failed(let reason):
            note("statnet: cannot write to standard output: \(reason)")
            Self.exit(withError: ExitCode(ioErrorStatus))
        }
    }

    /// EX_IOERR of sysexits.h: an output that could not be written.
    static let ioErrorStatus: Int32 = 74

    /// "unknown command 'trian'; did you mean 'train'?" for a first word (or the word after
    /// `help`) that is no subcommand; nil when the command line starts well.
    static func unknownCommand(_ arguments: [String]) -> String? {
        let names = configuration.subcommands.map { $0.configuration.commandName ?? "\($0)".lowercased() } + ["help"]
        var words = arguments
        if words.first == "help" { words.removeFirst() }
        guard let word = words.first, !word.hasPrefix("-"), !names.contains(word) else { return nil }
        let closest = names.filter { $0 != "help" }.min { editDistance(word, $0) < editDistance(word, $1) }
        let suggestion = closest.flatMap { editDistance(word, $0) <= max(2, word.count / 3) ? "; did you mean '\($0)'?" : nil }
        return "unknown command '\(word)'" + (suggestion ?? "") + " Commands: " + names.filter { $0 != "help" }.joined(separator: ", ")
            + " (statnet help <command> for one)."
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
