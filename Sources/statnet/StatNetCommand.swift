import ArgumentParser
import StatNet

@main
struct StatNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statnet",
        abstract: "StatNet (Keyork, 2023) in Swift: Boltzmann-statistics features for MNIST, the paper's models, and benchmarks.",
        subcommands: [DataCommand.self, FeaturesCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self,
                      ReproduceCommand.self, ReportCommand.self, BenchCommand.self]
    )

    static func main() {
        BLASSetup.ensureFastKernels()
        StopRequest.installSignalHandlers()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as Interrupted {
            note("statnet: \(error)")
            Self.exit(withError: error.exitCode)
        } catch TrainingError.interrupted {
            let signal = StopRequest.signal ?? 2
            note("statnet: stopped by signal \(signal) at a safe point; nothing is lost: run the same command with --resume to continue")
            Self.exit(withError: ExitCode(128 + signal))
        } catch {
            Self.exit(withError: error)
        }
    }
}
