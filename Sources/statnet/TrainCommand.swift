import ArgumentParser
import Foundation
import StatNet

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train StatNet or MLPNet; writes a run folder with logs, checkpoints and the test result.",
        discussion: """
        The run folder gets config.json, train_log.csv (every 20 batches), epochs.csv, result.json, and after every
        epoch model.safetensors and state.safetensors. A stopped run continues with the same command and --resume.
        """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "statnet or mlpnet.")
    var model: ModelKind = .statnet
    @Option(help: "paper (reference features, no normalisation) or physics (boltzmann features, channel normalisation).")
    var preset: Preset = .physics
    @Option(help: "Override the preset's feature variant.")
    var features: FeatureVariant?
    @Option(help: "Override the preset's normalisation: none, channel or position.")
    var normalize: NormalisationMode?
    @Option(help: "Epochs.")
    var epochs: Int = 20
    @Option(help: "Training images, taken from the 55,000-image training part (validation stays the same 5,000).")
    var trainSize: Int = 55_000
    @Option(help: "Seed for the split, initialisation, shuffling and dropout.")
    var seed: UInt64 = 0
    @OptionGroup var threadOptions: ThreadOptions
    @Option(help: ArgumentHelp("Run folder.", valueName: "DIR"))
    var out: String
    @Flag(help: "Continue the run in --out from its last checkpoint.")
    var resume = false

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        var config = TrainingConfig(model: model, preset: preset)
        if let features { config.features = features }
        if let normalize { config.normalisation = normalize }
        config.epochs = epochs
        config.trainSize = trainSize
        config.seed = seed
        config.threads = threadOptions.threads
        let result = try RunFolder.train(config: config, out: out, resume: resume,
                                         data: { try MNIST.load(directory: dataOptions.directory) }, observers: [ProgressPrinter()])
        print(String(format: "test accuracy %.4f, test loss %.6f, paper-scaled %.6f -> %@/result.json",
                     result.testAccuracy, result.testLoss, result.testLossPaperScaled, out))
    }
}
