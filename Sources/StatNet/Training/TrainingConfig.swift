/// Every setting of a training run (EXPERIMENTS.md's defaults). Stored in `config.json` and
/// in the checkpoints, so a run can be resumed, evaluated and compared later.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var model: ModelKind = .statnet
    public var preset: Preset = .physics
    public var features: FeatureVariant = Preset.physics.features
    public var normalisation: NormalisationMode = Preset.physics.normalisation
    /// The feature channel each of the four branches reads; nil for the model's own
    /// (StatNet 0,1,2,3; MLPNet 0,0,0,0). Ablations feed other channels.
    public var branchChannels: [Int]?
    public var epochs = 20
    public var trainSize = 55_000
    public var validationSize = DatasetSplit.defaultValidationSize
    public var batchSize = 64
    public var seed: UInt64 = 0
    public var threads = 2
    public var learningRate = 1e-3
    public var dropout = 0.5
    /// Training loss and accuracy are logged every this many batches.
    public var logEvery = 20

    public init(model: ModelKind = .statnet, preset: Preset = .physics) {
        self.model = model
        self.preset = preset
        features = preset.features
        normalisation = preset.normalisation
    }

    /// Checks the settings against each other and the data; the message says what to change.
    public func validate(trainingImages: Int) throws {
        guard epochs >= 1 else { throw ConfigurationError("epochs must be at least 1 (got \(epochs))") }
        guard batchSize >= 1 else { throw ConfigurationError("batch size must be at least 1 (got \(batchSize))") }
        guard threads >= 1 else { throw ConfigurationError("threads must be at least 1 (got \(threads))") }
        guard logEvery >= 1 else { throw ConfigurationError("logEvery must be at least 1") }
        guard learningRate > 0, learningRate.isFinite else { throw ConfigurationError("learning rate must be positive") }
        guard (0..<1).contains(dropout) else { throw ConfigurationError("dropout must be in [0, 1) (got \(dropout))") }
        if let c = branchChannels, c.count != 4 || !c.allSatisfy({ (0..<4).contains($0) }) {
            throw ConfigurationError("branch channels must be four values in 0...3 (got \(c))")
        }
        _ = try DatasetSplit(poolSize: trainingImages, validationSize: validationSize, trainSize: trainSize, seed: seed)
    }

    public var network: FourBranchNetwork {
        FourBranchNetwork(kind: model, dropout: dropout, branchChannels: branchChannels)
    }

    /// Independent random streams, all derived from `seed`.
    var initialisationSeed: UInt64 { derivedSeed(1) }
    var samplerSeed: UInt64 { derivedSeed(2) }
    var dropoutSeed: UInt64 { derivedSeed(3) }
    private func derivedSeed(_ k: UInt64) -> UInt64 {
        var g = SplitMix64(seed: seed &+ 0x9E37_79B9 &* k)
        return g.next()
    }
}
