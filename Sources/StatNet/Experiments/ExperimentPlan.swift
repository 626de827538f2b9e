/// The paper's experiments as a list of runs (EXPERIMENTS.md): experiment 1 (both models on
/// the 55,000-image training part) and experiment 2 (smaller training sets, the same
/// validation part), for every preset and seed; optionally the ablations on experiment 1.
/// Small training sets may get more seeds than large ones: their results vary more, and
/// their runs are short.
public struct ExperimentPlan: Sendable {
    /// The run-defining settings shared by every run of a plan.
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
                                        validationSize: DatasetSplit.defaultValidationSize)
        /// A first look in about a minute on 2 cores; not the paper's setting.
        public static let quick = Scale(epochs: 2, fullTrainSize: 5_000, sizes: [1_000, 100], validationSize: 1_000)

        /// The most training-set sizes experiment 2 takes.
        public static let maximumSizes = 50

        /// Experiment 1's size first, then experiment 2's.
        public var allSizes: [Int] { [fullTrainSize] + sizes.filter { $0 != fullTrainSize } }
    }

    /// How many seeds each size gets (seeds 0, 1, ...).
    public struct Seeds: Codable, Equatable, Sendable, CustomStringConvertible {
        /// Seeds for experiment 1, the large sizes and the ablations.
        public var count: Int
        /// Seeds for sizes up to `smallSizeLimit` (at least `count`).
        public var smallSizeCount: Int
        public var smallSizeLimit: Int

        /// Sizes of 10,000 images and fewer count as small.
        public static let defaultSmallSizeLimit = 10_000

        /// The most seeds per size a plan takes: 1,000 seeds of the paper's plan are 28,000 runs,
        /// months on one machine; a count beyond it is a typing mistake, not a plan.
        public static let maximum = 1_000

        public init(count: Int, smallSizeCount: Int? = nil, smallSizeLimit: Int = defaultSmallSizeLimit) {
            self.count = count
            self.smallSizeCount = max(count, smallSizeCount ?? count)
            self.smallSizeLimit = smallSizeLimit
        }

        public func count(forSize size: Int) -> Int { size <= smallSizeLimit ? smallSizeCount : count }
        public var largest: Int { max(count, smallSizeCount) }

        /// "0, 1, 2" or "0-4 (0-9 for 10000 training images or fewer)".
        public var description: String {
            func list(_ n: Int) -> String { n <= 3 ? (0..<n).map(String.init).joined(separator: ", ") : "0-\(n - 1)" }
            return smallSizeCount == count ? list(count) : "\(list(count)) (\(list(smallSizeCount)) for \(smallSizeLimit) training images or fewer)"
        }
    }

    public let presets: [Preset]
    public let seeds: Seeds
    public let scale: Scale
    public let ablations: Bool
    public let quick: Bool
    public let runs: [RunSpec]

    public init(presets: [Preset], seeds: Seeds, scale: Scale, ablations: Bool, quick: Bool = false, threads: Int) {
        self.presets = presets
        self.seeds = seeds
        self.scale = scale
        self.ablations = ablations
        self.quick = quick
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
        for s in 0..<seeds.largest {
            let seed = UInt64(s)
            for preset in presets {
                for size in scale.allSizes where s < seeds.count(forSize: size) {
                    for model in ModelKind.allCases {
                        runs.append(RunSpec(id: "\(preset.rawValue)-\(model.rawValue)-n\(size)-s\(seed)", experiment: .comparison,
                                            label: model.rawValue, config: config(model, preset, size: size, seed: seed)))
                    }
                }
            }
            if ablations && s < seeds.count {
                for v in AblationVariant.all {
                    runs.append(RunSpec(id: "ablation-\(v.label)-s\(seed)", experiment: .ablation, label: v.label,
                                        config: v.applied(to: config(v.model, .physics, size: scale.fullTrainSize, seed: seed))))
                }
            }
        }
        self.runs = runs
    }

    /// The runs of `shard`.
    public func runs(of shard: Shard) -> [RunSpec] { shard.select(runs) }

    /// What `plan.json` records.
    public var info: PlanInfo {
        PlanInfo(quick: quick, scale: scale, seeds: seeds, presets: presets, ablations: ablations, plannedRuns: runs.count)
    }
}
