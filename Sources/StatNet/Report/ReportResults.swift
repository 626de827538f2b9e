import Foundation

/// `results.json`: every number of the report, aggregated from the finished runs: per run, per
/// (preset, size) cell with mean and standard deviation over seeds, the StatNet − MLPNet
/// differences paired by seed, and the ablations. The Markdown and the figures are drawn
/// from this and from the runs' logs, never computed a second way.
public struct ReportResults: Codable, Sendable {
    public struct Run: Codable, Sendable {
        public let id: String, experiment: String, label: String, preset: String, model: String, features: String, normalisation: String
        public let branchChannels: [Int]?, trainSize: Int, seed: UInt64, epochs: Int
        public let testAccuracy: Double, testLoss: Double, testLossPaperScaled: Double, trainSeconds: Double
        /// Per epoch, in order (epochs.csv).
        public let validationAccuracy: [Double], validationLoss: [Double]
        /// The train_log.csv curve: (step, running training loss) pairs, steps over all epochs.
        public let trainingLoss: [TrainingCurve.Point]?
        /// When the run was started (nil: not recorded by the build that made it).
        public let created: String?
    }
    public struct Cell: Codable, Sendable {
        public let accuracy: Summary, loss: Summary, lossPaperScaled: Summary, trainSeconds: Summary
        public let seeds: [UInt64]
        public let paper: PaperNumbers.Entry?
    }
    public struct Comparison: Codable, Sendable {
        public let preset: String, trainSize: Int
        public let statnet: Cell?, mlpnet: Cell?
        /// StatNet minus MLPNet, paired by seed.
        public let accuracyDifference: PairedDifference?, lossDifference: PairedDifference?
    }
    public struct Ablation: Codable, Sendable {
        public let label: String, cell: Cell
        public let accuracyVsStatNet: PairedDifference?, accuracyVsMLPNet: PairedDifference?
    }

    public let quick: Bool
    public let plan: PlanInfo?
    /// The paper's four claims per preset, with their verdicts (`Claims`).
    public let claims: [Claims.Row]
    /// The measures shown beside the claims' primary ones.
    public let claimDetails: Claims.Secondary
    public let machine: [String: String]
    public let runsFinished: Int
    public let runs: [Run]
    public let comparisons: [Comparison]
    public let ablations: [Ablation]

    /// Aggregates `runs` (finished runs of one reproduction) under `plan`.
    public init(runs finished: [FinishedRun], plan: PlanInfo?) {
        let set = RunSet(finished)
        let quick = plan?.quick ?? false
        var comparisons: [Comparison] = []
        for preset in set.presets {
            for size in set.sizes {
                let s = set.comparison(preset, .statnet, size: size), m = set.comparison(preset, .mlpnet, size: size)
                if s.isEmpty && m.isEmpty { continue }
                // Experiment 1's row is Table 1 whatever its size; a quick run has no paper numbers.
                let paper = quick ? nil : PaperNumbers.results[size == set.fullSize ? PaperNumbers.fullTrainSize : size]
                comparisons.append(Comparison(preset: preset.rawValue, trainSize: size,
                                              statnet: Self.cell(s, paper: paper?[.statnet]), mlpnet: Self.cell(m, paper: paper?[.mlpnet]),
                                              accuracyDifference: RunSet.paired(s, m, \.testAccuracy),
                                              lossDifference: RunSet.paired(s, m, \.testLoss)))
            }
        }
        var ablations: [Ablation] = []
        if let full = set.fullSize {
            let s = set.comparison(.physics, .statnet, size: full), m = set.comparison(.physics, .mlpnet, size: full)
            for variant in AblationVariant.all {
                let runs = set.ablation(variant.label)
                guard let c = Self.cell(runs, paper: nil) else { continue }
                ablations.append(Ablation(label: variant.label, cell: c, accuracyVsStatNet: RunSet.paired(runs, s, \.testAccuracy),
                                          accuracyVsMLPNet: RunSet.paired(runs, m, \.testAccuracy)))
            }
        }
        self.quick = quick
        self.plan = plan
        let info = finished.compactMap(\.info).first
        machine = ["cores": String(info?.cores ?? ProcessInfo.processInfo.activeProcessorCount),
                   "threads": String(finished.first?.spec.config.threads ?? 0),
                   "blas_core": info?.blasCore ?? BLAS.coreName]
        runsFinished = finished.count
        runs = finished.map { r in
            Run(id: r.spec.id, experiment: r.spec.experiment.rawValue, label: r.spec.label, preset: r.spec.config.preset.rawValue,
                model: r.spec.config.model.rawValue, features: r.spec.config.features.rawValue,
                normalisation: r.spec.config.normalisation.rawValue, branchChannels: r.spec.config.branchChannels,
                trainSize: r.spec.config.trainSize, seed: r.spec.config.seed, epochs: r.spec.config.epochs,
                testAccuracy: r.result.testAccuracy, testLoss: r.result.testLoss,
                testLossPaperScaled: r.result.testLossPaperScaled, trainSeconds: r.result.trainSeconds,
                validationAccuracy: r.epochs.map(\.validationAccuracy), validationLoss: r.epochs.map(\.validationLoss),
                trainingLoss: r.trainingCurve.points, created: r.info?.created)
        }
        // The per-image outputs are read for experiment 1's runs only (the claims that use them).
        let outcomes = set.comparisons.map { $0.claimOutcome(withOutputs: $0.spec.config.trainSize == set.fullSize) }
        (claims, claimDetails) = set.fullSize.map { Claims.evaluate(outcomes, presets: set.presets, fullTrainSize: $0) }
            ?? ([], .empty)
        self.comparisons = comparisons
        self.ablations = ablations
    }

    static func cell(_ runs: [FinishedRun], paper: PaperNumbers.Entry?) -> Cell? {
        guard !runs.isEmpty else { return nil }
        let r = runs.map(\.result)
        return Cell(accuracy: Summary(r.map(\.testAccuracy)), loss: Summary(r.map(\.testLoss)),
                    lossPaperScaled: Summary(r.map(\.testLossPaperScaled)), trainSeconds: Summary(r.map(\.trainSeconds)),
                    seeds: runs.map(\.spec.config.seed), paper: paper)
    }
}

extension FinishedRun {
    var batchesPerEpoch: Int { spec.config.batchesPerEpoch }

    /// The train_log.csv curve.
    var trainingCurve: TrainingCurve { TrainingCurve(rows: trainLog, batchesPerEpoch: batchesPerEpoch) }

    /// What the claims need of this run; its per-image outputs (600 kB) only when asked for.
    func claimOutcome(withOutputs: Bool) -> Claims.RunOutcome {
        let c = spec.config
        let log = epochs.sorted { $0.epoch < $1.epoch }
        let outputs = withOutputs ? (try? RunOutputsFile.read(Path.join(folder, RunFiles.outputs))) ?? nil : nil
        return Claims.RunOutcome(preset: c.preset, model: c.model, trainSize: c.trainSize, seed: c.seed,
                                 testAccuracy: result.testAccuracy, testLoss: result.testLoss,
                                 validationAccuracy: log.map(\.validationAccuracy), validationLoss: log.map(\.validationLoss),
                                 batchesPerEpoch: batchesPerEpoch, trainingCurve: trainingCurve, outputs: outputs,
                                 created: info?.createdDate)
    }
}

/// The finished runs of a reproduction, selected the ways the report needs them.
struct RunSet {
    let runs: [FinishedRun]

    init(_ runs: [FinishedRun]) { self.runs = runs }

    var comparisons: [FinishedRun] { runs.filter { $0.spec.experiment == .comparison } }
    /// The comparison runs' largest training size: experiment 1.
    var fullSize: Int? { comparisons.map(\.spec.config.trainSize).max() }
    var sizes: [Int] { Array(Set(comparisons.map(\.spec.config.trainSize))).sorted() }
    var presets: [Preset] { Preset.allCases.filter { p in comparisons.contains { $0.spec.config.preset == p } } }

    /// The comparison runs of one cell, by seed.
    func comparison(_ preset: Preset, _ model: ModelKind, size: Int) -> [FinishedRun] {
        comparisons.filter { $0.spec.config.preset == preset && $0.spec.config.model == model && $0.spec.config.trainSize == size }
            .sorted { $0.spec.config.seed < $1.spec.config.seed }
    }

    func ablation(_ label: String) -> [FinishedRun] {
        runs.filter { $0.spec.experiment == .ablation && $0.spec.label == label }.sorted { $0.spec.config.seed < $1.spec.config.seed }
    }

    /// Differences a - b of `value` over the seeds both have.
    static func paired(_ a: [FinishedRun], _ b: [FinishedRun], _ value: (TrainingResult) -> Double) -> PairedDifference? {
        pairs(a, b).map { PairedDifference($0.map { value($0.0.result) }, $0.map { value($0.1.result) }) }
    }

    /// The runs of a and b with the same seed, in seed order; nil when there are none.
    static func pairs(_ a: [FinishedRun], _ b: [FinishedRun]) -> [(FinishedRun, FinishedRun)]? {
        let bySeed = Dictionary(b.map { ($0.spec.config.seed, $0) }, uniquingKeysWith: { x, _ in x })
        let pairs = a.compactMap { r in bySeed[r.spec.config.seed].map { (r, $0) } }
        return pairs.isEmpty ? nil : pairs
    }
}
