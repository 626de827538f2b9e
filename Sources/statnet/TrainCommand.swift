import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train StatNet or MLPNet; writes a run folder with logs, checkpoints and the test result.",
        discussion: """
        The run folder gets config.json, train_log.csv (every 20 batches), epochs.csv, model.safetensors and \
        state.safetensors after every epoch, and result.json at the end. A stopped run (Ctrl-C, a kill, a full disk) \
        continues with the same command and --resume.
        """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Override the preset's feature variant.")
    var features: FeatureVariant?
    @Option(help: "Override the preset's normalisation: none, channel or position.")
    var normalize: NormalisationMode?
    @Option(parsing: .unconditional, help: "Epochs.")
    var epochs: Int = 20
    @Option(parsing: .unconditional, help: "Training images, taken from the 55,000-image training part (validation stays the same 5,000).")
    var trainSize: Int = 55_000
    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Adam's learning rate (the paper's: 0.001).")
    var learningRate: Double = TrainingConfig().learningRate
    @Option(parsing: .unconditional, help: "Images per batch (the paper's: 64).")
    var batchSize: Int = TrainingConfig().batchSize
    @Option(parsing: .unconditional, help: "Dropout probability after each branch, in [0, 1) (the paper's: 0.5).")
    var dropout: Double = TrainingConfig().dropout
    @Option(parsing: .unconditional, help: "Seed for the split, initialisation, shuffling and dropout (a whole number 0 or more).")
    var seed: UInt64 = 0
    @OptionGroup var threadOptions: ThreadOptions
    @Option(help: ArgumentHelp("Run folder: new or empty, or one of this tool's run folders.", valueName: "DIR"))
    var out: String
    @Flag(help: "Continue the run in --out from its last checkpoint.")
    var resume = false
    @Flag(help: "Delete the run in --out and train it again from scratch.")
    var overwrite = false

    func validate() throws {
        try requirePath(out, "--out")
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1 (got \(epochs))") }
        guard trainSize >= 1 else { throw ValidationError("--train-size must be at least 1 (got \(trainSize))") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--lr must be a positive number (got \(learningRate))") }
        guard (1...TrainingConfig.maximumBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(TrainingConfig.maximumBatchSize) (got \(batchSize))")
        }
        guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must be at least 0 and below 1 (got \(dropout))") }
        guard !(resume && overwrite) else { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    var config: TrainingConfig {
        var config = TrainingConfig(model: modelOptions.model, preset: modelOptions.preset)
        if let features { config.features = features }
        if let normalize { config.normalisation = normalize }
        config.epochs = epochs
        config.trainSize = trainSize
        config.learningRate = learningRate
        config.batchSize = batchSize
        config.dropout = dropout
        config.seed = seed
        config.threads = threadOptions.threads
        return config
    }

    func run() throws {
        let result = try RunFolder.train(config: config, out: out, mode: resume ? .resume : overwrite ? .overwrite : .new,
                                         data: { try MNIST.load(directory: dataOptions.directory) }, observers: [ProgressPrinter(showsResult: false)],
                                         shouldStop: { StopRequest.isRequested })
        print(String(format: "test accuracy %.4f, test loss %.6f, paper-scaled %.6f -> %@/result.json",
                     result.testAccuracy, result.testLoss, result.testLossPaperScaled, out))
    }
}
