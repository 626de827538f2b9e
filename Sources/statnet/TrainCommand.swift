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
    @Option(help: "statnet (four feature channels) or mlpnet (pixels in all four branches) (default: statnet).")
    var model: ModelKind?
    @Option(help: "paper (reference features, no normalisation) or physics (boltzmann features, channel normalisation) (default: physics).")
    var preset: Preset?
    @Option(help: "Override the preset's feature variant.")
    var features: FeatureVariant?
    @Option(help: "Override the preset's normalisation: none, channel or position.")
    var normalize: NormalisationMode?
    @Option(parsing: .unconditional, help: "Epochs (default: 20; with --resume, more than the run has extends it).")
    var epochs: Int?
    @Option(parsing: .unconditional, help: "Training images, taken from the 55,000-image training part (validation stays the same 5,000) (default: 55000).")
    var trainSize: Int?
    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Adam's learning rate (the paper's, the default: 0.001).")
    var learningRate: Double?
    @Option(parsing: .unconditional, help: "Images per batch (the paper's, the default: 64).")
    var batchSize: Int?
    @Option(parsing: .unconditional, help: "Dropout probability after each branch, in [0, 1) (the paper's, the default: 0.5).")
    var dropout: Double?
    @Option(parsing: .unconditional, help: "Seed for the split, initialisation, shuffling and dropout (a whole number 0 or more; default 0).")
    var seed: UInt64?
    @OptionGroup var threadOptions: ThreadOptions
    @Option(help: ArgumentHelp("Run folder: new or empty, or one of this tool's run folders.", valueName: "DIR"))
    var out: String
    @Flag(help: "Continue the run in --out from its last checkpoint, with its own settings (options given must agree with them, or extend --epochs).")
    var resume = false
    @Flag(help: "Delete the run in --out and train it again from scratch.")
    var overwrite = false

    func validate() throws {
        try requirePath(out, "--out")
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1 (got \(epochs))") }
        if let trainSize, trainSize < 1 { throw ValidationError("--train-size must be at least 1 (got \(trainSize))") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--lr must be a positive number (got \(learningRate))") }
        if let batchSize, !(1...TrainingConfig.maximumBatchSize).contains(batchSize) {
            throw ValidationError("--batch-size must be between 1 and \(TrainingConfig.maximumBatchSize) (got \(batchSize))")
        }
        if let dropout, !(0..<1).contains(dropout) { throw ValidationError("--dropout must be at least 0 and below 1 (got \(dropout))") }
        guard !(resume && overwrite) else { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    /// The run's settings: the options given, on top of the defaults, or with --resume on top of
    /// the settings the run folder holds; then they must still be that run's (epochs may grow).
    func config(resuming saved: TrainingConfig?) throws -> TrainingConfig {
        var config = saved ?? TrainingConfig(model: model ?? .statnet, preset: preset ?? .physics)
        if saved != nil {
            if let model { config.model = model }
            if let preset {
                config.preset = preset
                (config.features, config.normalisation) = (preset.features, preset.normalisation)
            }
        }
        if let features { config.features = features }
        if let normalize { config.normalisation = normalize }
        if let epochs { config.epochs = epochs }
        if let trainSize { config.trainSize = trainSize }
        if let learningRate { config.learningRate = learningRate }
        if let batchSize { config.batchSize = batchSize }
        if let dropout { config.dropout = dropout }
        if let seed { config.seed = seed }
        config.threads = threadOptions.threads
        if let saved {
            let differences = saved.differences(from: config)
            guard differences.isEmpty else {
                throw RuntimeFailure("\(out) holds a run with other settings (\(differences.joined(separator: "; "))): leave those options out "
                                     + "to continue it as it is, or choose another --out")
            }
        }
        return config
    }

    func run() throws {
        let saved = resume ? RunFolder.savedConfig(in: out) : nil
        let config = try config(resuming: saved)
        let result = try RunFolder.train(config: config, out: out, mode: resume ? .resume : overwrite ? .overwrite : .new,
                                         data: { try MNIST.load(directory: dataOptions.directory) }, observers: [ProgressPrinter(showsResult: false)],
                                         shouldStop: { StopRequest.isRequested })
        // Text shows percentages; the files and --json keep fractions.
        print(String(format: "test accuracy %.2f%%, test loss %.6f, paper-scaled %.6f -> %@/result.json",
                     100 * result.testAccuracy, result.testLoss, result.testLossPaperScaled, out))
    }
}
