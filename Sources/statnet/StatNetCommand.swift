import ArgumentParser
import StatNet

@main
struct StatNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statnet",
        abstract: "StatNet (Keyork, 2023) in Swift: Boltzmann-statistics features for MNIST, the paper's models, and benchmarks.",
        subcommands: [DataCommand.self, FeaturesCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, ReproduceCommand.self, ReportCommand.self, BenchCommand.self]
    )

    static func main() {
        BLASSetup.ensureFastKernels()
        main(Array(CommandLine.arguments.dropFirst()))
    }
}
