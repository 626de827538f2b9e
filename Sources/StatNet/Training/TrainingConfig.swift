import Foundation

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

    /// The largest batch this tool accepts: a batch of 4,096 already needs about 300 MB of buffers.
    public static let maximumBatchSize = 4_096
    /// The most threads a run accepts.
    public static let maximumThreads = 1_024
    /// The most epochs a run accepts.
    public static let maximumEpochs = 100_000

    /// Checks the settings against each other and the data; the message says what to change.
    /// It runs on settings from the command line and on settings read back from files alike.
    public func validate(trainingImages: Int) throws {
        try Self.check("epochs", epochs, in: 1...Self.maximumEpochs)
        try Self.check("batch size", batchSize, in: 1...Self.maximumBatchSize)
        try Self.check("threads", threads, in: 1...Self.maximumThreads)
        try Self.check("logEvery", logEvery, in: 1...Int.max)
        guard learningRate > 0, learningRate.isFinite else { throw ConfigurationError.outOfRange(setting: "learning rate", value: learningRate, allowed: "(0, inf)") }
        guard (0..<1).contains(dropout) else { throw ConfigurationError.outOfRange(setting: "dropout", value: dropout, allowed: "[0, 1)") }
        if let c = branchChannels, c.count != FeatureChannel.count || !c.allSatisfy({ (0..<FeatureChannel.count).contains($0) }) {
            throw ConfigurationError.branchChannels(c)
        }
        _ = try DatasetSplit(poolSize: trainingImages, validationSize: validationSize, trainSize: trainSize, seed: seed)
    }

    private static func check(_ setting: String, _ value: Int, in range: ClosedRange<Int>) throws {
        if value < range.lowerBound { throw ConfigurationError.tooSmall(setting: setting, value: value, minimum: range.lowerBound) }
        if value > range.upperBound { throw ConfigurationError.tooLarge(setting: setting, value: value, maximum: range.upperBound) }
    }

    /// What makes two runs the same run: every setting but the epoch count (a finished run may
    /// be extended) and the thread count (which changes no number).
    public var identity: TrainingConfig {
        var c = self
        c.epochs = 0
        c.threads = 0
        return c
    }

    /// The settings in which `other` differs from these, as "key: this, other" in key order,
    /// ignoring the epochs and the threads (which do not make another run): what a message
    /// names when a run folder's settings and a command's disagree.
    public func differences(from other: TrainingConfig) -> [String] {
        func fields(_ config: TrainingConfig) -> [String: String] {
            guard let data = try? JSONFormat.encode(config.identity),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return object.mapValues { "\($0)" }
        }
        let mine = fields(self), theirs = fields(other)
        return Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
            mine[key] == theirs[key] ? nil : "\(key): \(mine[key] ?? "none") here, \(theirs[key] ?? "none") asked"
        }
    }

    /// Batches in one epoch of `trainSize` images (the last one may be short).
    public var batchesPerEpoch: Int { (trainSize + batchSize - 1) / batchSize }

    /// The model these settings train.
    public var architecture: FourBranchArchitecture {
        FourBranchArchitecture(kind: model, dropout: dropout, branchChannels: branchChannels)
    }

    /// How these settings feed the network, in words ("reference features, no normalisation").
    public var inputDescription: String {
        // MLPNet reads the energy channel alone (the pixels), not the four features; an ablation some of them.
        let read = architecture.channelsRead
        let reads = read.count == FeatureChannel.count ? "\(features.rawValue) features"
            : read == [FeatureChannel.energy.rawValue] ? "the \(features.rawValue) energy channel (the pixels)"
            : "the \(features.rawValue) " + read.map { FeatureChannel(rawValue: $0)!.name }.joined(separator: " and ") + " channels"
        return "\(reads), \(normalisation.words)"
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
