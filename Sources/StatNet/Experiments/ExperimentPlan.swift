import Foundation

/// One training run of a reproduction: what it is for and its full configuration.
public struct RunSpec: Codable, Equatable, Sendable {
    public enum Experiment: String, Codable, Sendable { case comparison, ablation }
    /// Folder name under `runs/`, unique in a plan.
    public let id: String
    public let experiment: Experiment
    /// For ablations: which variant (e.g. "statnet-entropy-only"); else the model name.
    public let label: String
    public let config: TrainingConfig
}

/// The paper's experiments as a list of runs (EXPERIMENTS.md): experiment 1 (both models on
/// the 55,000-image training part) and experiment 2 (smaller training sets, the same
/// validation part), for every preset and seed; optionally the ablations on experiment 1.
public struct ExperimentPlan: Sendable {
    public struct Scale: Codable, Equatable, Sendable {
        public var epochs: Int
        public var fullTrainSize: Int
        public var sizes: [Int]
        public var validationSize: Int

        public init(epochs: Int, fullTrainSize: Int, sizes: [Int], validationSize: Int) {
            self.epochs = epochs
            self.fullTrainSize = fullTrainSize
            self.sizes = sizes
            self.validationSize = validationSize
        }

        public static let paper = Scale(epochs: 20, fullTrainSize: 55_000, sizes: [30_000, 10_000, 5_000, 1_000, 500, 100],
                                        validationSize: 5_000)
        /// A first look in about a minute on 2 cores; not the paper's setting.
        public static let quick = Scale(epochs: 2, fullTrainSize: 5_000, sizes: [1_000, 100], validationSize: 1_000)
    }

    public let runs: [RunSpec]

    /// Ablation variants on experiment 1 (physics preset): which channel carries any gain, and
    /// whether StatNet beats a fairly normalised MLPNet. There is no "energy-only" variant:
    /// the energy channel is the pixel value, so StatNet fed it alone is MLPNet.
    public static let ablationVariants: [(label: String, model: ModelKind, channels: [Int]?, features: FeatureVariant?, normalisation: NormalisationMode?)] = [
        ("statnet-level-only", .statnet, [1, 1, 1, 1], nil, nil),
        ("statnet-entropy-only", .statnet, [2, 2, 2, 2], nil, nil),
        ("statnet-meanEnergy-only", .statnet, [3, 3, 3, 3], nil, nil),
        ("statnet-energy+level", .statnet, [0, 1, 0, 1], nil, nil),
        ("statnet-entropy+meanEnergy", .statnet, [2, 3, 2, 3], nil, nil),
        ("statnet-canonical", .statnet, nil, .canonical, nil),
        ("mlpnet-unnormalised", .mlpnet, nil, nil, NormalisationMode.none),
        ("mlpnet-position-normalised", .mlpnet, nil, nil, .position),
    ]

    public init(presets: [Preset], seeds: [UInt64], scale: Scale, ablations: Bool, threads: Int) {
        var runs: [RunSpec] = []
        func config(_ model: ModelKind, _ preset: Preset, size: Int, seed: UInt64) -> TrainingConfig {
            var c = TrainingConfig(model: model, preset: preset)
            c.epochs = scale.epochs
            c.trainSize = size
            c.validationSize = scale.validationSize
            c.seed = seed
            c.threads = threads
            return c
        }
        for seed in seeds {
            for preset in presets {
                for size in [scale.fullTrainSize] + scale.sizes {
                    for model in ModelKind.allCases {
                        runs.append(RunSpec(id: "\(preset.rawValue)-\(model.rawValue)-n\(size)-s\(seed)", experiment: .comparison,
                                            label: model.rawValue, config: config(model, preset, size: size, seed: seed)))
                    }
                }
            }
            if ablations {
                for v in Self.ablationVariants {
                    var c = config(v.model, .physics, size: scale.fullTrainSize, seed: seed)
                    c.branchChannels = v.channels
                    if let f = v.features { c.features = f }
                    if let n = v.normalisation { c.normalisation = n }
                    runs.append(RunSpec(id: "ablation-\(v.label)-s\(seed)", experiment: .ablation, label: v.label, config: c))
                }
            }
        }
        self.runs = runs
    }

    /// The runs of shard `k` of `n` (1-based): every n-th run, so shards take similar time.
    public func shard(_ k: Int, of n: Int) -> [RunSpec] {
        precondition(n >= 1 && (1...n).contains(k))
        return runs.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
    }
}
