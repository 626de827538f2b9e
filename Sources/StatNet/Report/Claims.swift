import Foundation

/// The paper's four claims (section 5, 结论): under the same data and training settings StatNet
/// (1) converges faster, (2) reaches a higher test accuracy, (3) a lower loss, and (4) loses
/// less performance with little training data. Each gets one primary measure, StatNet against
/// MLPNet paired by seed with a 95% t interval, oriented so that a positive value favours
/// StatNet, an equivalence margin fixed in advance, and a verdict by `ClaimVerdict`'s rule;
/// the Holm adjustment runs over all rows (four claims times the presets).
public enum Claims {
    public enum Claim: String, Codable, Sendable, CaseIterable {
        case convergence, accuracy, loss
        case littleData = "little-data"
    }

    /// Equivalence margins, fixed before the data: half a percentage point of accuracy, 0.02
    /// of mean cross-entropy.
    public static let accuracyMargin = 0.5
    public static let lossMargin = 0.02
    /// The validation accuracy whose first reaching counts as "converged" (a secondary measure).
    public static let convergenceAccuracy = 0.97
    /// The training set of the little-data claim's primary measure, and the others shown beside it.
    public static let littleDataSize = 1_000
    public static let littleDataOtherSizes = [100, 500, 5_000, 10_000]
    /// The family-wise error rate of the Holm adjustment, and the intervals' level.
    public static let alpha = 0.05
    /// The fewest values an interval is computed from (a t interval needs a spread).
    public static let minimumPairs = 2

    /// What the claims need of one finished run.
    public struct RunOutcome: Sendable {
        public let preset: Preset
        public let model: ModelKind
        public let trainSize: Int
        public let seed: UInt64
        public let testAccuracy: Double
        public let testLoss: Double
        /// Per epoch, in order.
        public let validationAccuracy: [Double]
        public let validationLoss: [Double]
        public let batchesPerEpoch: Int

        public init(preset: Preset, model: ModelKind, trainSize: Int, seed: UInt64, testAccuracy: Double, testLoss: Double,
                    validationAccuracy: [Double], validationLoss: [Double], batchesPerEpoch: Int) {
            self.preset = preset
            self.model = model
            self.trainSize = trainSize
            self.seed = seed
            self.testAccuracy = testAccuracy
            self.testLoss = testLoss
            self.validationAccuracy = validationAccuracy
            self.validationLoss = validationLoss
            self.batchesPerEpoch = batchesPerEpoch
        }

        /// Batches until the validation accuracy first reached `level` (checked after each
        /// epoch), or nil when it never did (a censored run).
        public func batchesToReach(_ level: Double) -> Int? {
            validationAccuracy.firstIndex { $0 >= level }.map { ($0 + 1) * batchesPerEpoch }
        }
    }

    /// One row of the claims table (and of `results.json`'s "claims").
    public struct Row: Codable, Sendable, Equatable {
        public let claim: String
        public let preset: String
        /// The measure, in words.
        public let measure: String
        public let unit: String
        /// Pairs of runs behind the interval (for the little-data claim, the smaller of its two samples).
        public let n: Int
        public let mean: Double
        public let low: Double
        public let high: Double
        public let margin: Double
        public let verdict: ClaimVerdict
        public let verdictHolm: ClaimVerdict
        /// Two-sided p-value of "no difference".
        public let pValue: Double
        /// The largest difference, either way, that the interval still allows.
        public let largestAllowed: Double
        /// How the interval was made, where it is not a plain paired t interval.
        public let note: String?
    }

    /// A measure's estimate: mean, 95% interval, p-value and the pairs behind it.
    public struct Estimate: Codable, Sendable, Equatable {
        public let n: Int
        public let mean: Double
        public let low: Double
        public let high: Double
        public let pValue: Double
    }

    /// The measures shown beside the primary ones.
    public struct Secondary: Codable, Sendable {
        public struct Convergence: Codable, Sendable {
            public let preset: String
            /// Batches until 97% validation accuracy, per model: the runs' values (nil: not reached).
            public let statnetBatches: [Int?]
            public let mlpnetBatches: [Int?]
            /// MLPNet minus StatNet batches over the pairs where both reached it.
            public let batchesSaved: Estimate?
            /// MLPNet minus StatNet mean validation loss over the epochs.
            public let meanValidationLoss: Estimate?
        }
        public struct LittleData: Codable, Sendable {
            public let preset: String
            public let trainSize: Int
            /// MLPNet's accuracy loss minus StatNet's, in percentage points.
            public let lossDifference: Estimate
        }
        public let convergence: [Convergence]
        public let littleData: [LittleData]
    }

    /// The rows for `presets` (claims in order within each preset) and the secondary measures.
    public static func evaluate(_ runs: [RunOutcome], presets: [Preset], fullTrainSize: Int) -> (rows: [Row], secondary: Secondary) {
        func cell(_ preset: Preset, _ model: ModelKind, _ size: Int) -> [UInt64: RunOutcome] {
            Dictionary(runs.filter { $0.preset == preset && $0.model == model && $0.trainSize == size }.map { ($0.seed, $0) },
                       uniquingKeysWith: { a, _ in a })
        }
        /// Paired differences favouring StatNet: value(StatNet) - value(MLPNet), times `sign`.
        func paired(_ preset: Preset, _ size: Int, sign: Double = 1, _ value: (RunOutcome) -> Double?) -> [Double] {
            let s = cell(preset, .statnet, size), m = cell(preset, .mlpnet, size)
            return s.keys.sorted().compactMap { seed in
                guard let a = s[seed], let b = m[seed], let x = value(a), let y = value(b) else { return nil }
                return sign * (x - y)
            }
        }
        var drafts: [(claim: Claim, preset: Preset, measure: String, unit: String, margin: Double, estimate: Estimate, note: String?)] = []
        var convergence: [Secondary.Convergence] = []
        var littleData: [Secondary.LittleData] = []
        for preset in presets {
            let full = fullTrainSize
            if let e = estimate(paired(preset, full) { $0.validationAccuracy.first.map { 100 * $0 } }) {
                drafts.append((.convergence, preset, "validation accuracy after epoch 1, StatNet − MLPNet", "pp", accuracyMargin, e, nil))
            }
            if let e = estimate(paired(preset, full) { 100 * $0.testAccuracy }) {
                drafts.append((.accuracy, preset, "test accuracy, StatNet − MLPNet", "pp", accuracyMargin, e, nil))
            }
            if let e = estimate(paired(preset, full, sign: -1) { $0.testLoss }) {
                drafts.append((.loss, preset, "test mean cross-entropy, MLPNet − StatNet", "cross-entropy", lossMargin, e, nil))
            }
            // Little data: (acc_M(55k) - acc_M(small)) - (acc_S(55k) - acc_S(small)) = diff(small) - diff(55k),
            // each diff paired by seed; the two means differ with a Welch interval, so that every
            // seed of either size counts (sizes have different seed counts).
            let fullDiff = paired(preset, full) { 100 * $0.testAccuracy }
            for size in [littleDataSize] + littleDataOtherSizes where size < full {
                let smallDiff = paired(preset, size) { 100 * $0.testAccuracy }
                guard let e = welch(smallDiff, fullDiff) else { continue }
                littleData.append(Secondary.LittleData(preset: preset.rawValue, trainSize: size, lossDifference: e))
                if size == littleDataSize {
                    drafts.append((.littleData, preset, "accuracy lost from \(full) to \(size) training images, MLPNet's − StatNet's", "pp",
                                   accuracyMargin, e,
                                   "difference of the StatNet − MLPNet accuracy gaps at \(size) (n = \(smallDiff.count)) and \(full) (n = \(fullDiff.count)) images, Welch interval"))
                }
            }
            let s = cell(preset, .statnet, full), m = cell(preset, .mlpnet, full)
            let seeds = s.keys.filter { m[$0] != nil }.sorted()
            guard !seeds.isEmpty else { continue }
            let saved = paired(preset, full, sign: -1) { $0.batchesToReach(convergenceAccuracy).map(Double.init) }
            let meanLoss = paired(preset, full, sign: -1) { $0.validationLoss.isEmpty ? nil : $0.validationLoss.reduce(0, +) / Double($0.validationLoss.count) }
            convergence.append(Secondary.Convergence(preset: preset.rawValue,
                                                     statnetBatches: seeds.map { s[$0]!.batchesToReach(convergenceAccuracy) },
                                                     mlpnetBatches: seeds.map { m[$0]!.batchesToReach(convergenceAccuracy) },
                                                     batchesSaved: estimate(saved), meanValidationLoss: estimate(meanLoss)))
        }
        let rejected = holm(drafts.map(\.estimate.pValue), alpha: alpha)
        let rows = zip(drafts, rejected).map { d, reject -> Row in
            let e = d.estimate
            let verdict = ClaimVerdict(low: e.low, high: e.high, margin: d.margin)
            // Holm adjusts the tests of "the difference is 0" over all rows: a supported or
            // contradicted verdict stands only if its test survives. An equivalence verdict
            // (no difference) is not such a test and stays as it is.
            let holmVerdict = ClaimVerdict(low: e.low, high: e.high, margin: d.margin, differenceShown: reject)
            return Row(claim: d.claim.rawValue, preset: d.preset.rawValue, measure: d.measure, unit: d.unit, n: e.n, mean: e.mean,
                       low: e.low, high: e.high, margin: d.margin, verdict: verdict, verdictHolm: holmVerdict, pValue: e.pValue,
                       largestAllowed: max(abs(e.low), abs(e.high)), note: d.note)
        }
        return (rows, Secondary(convergence: convergence, littleData: littleData))
    }

    /// Mean, 95% t interval and p-value of paired differences; nil with fewer than two.
    static func estimate(_ d: [Double]) -> Estimate? {
        guard d.count >= minimumPairs else { return nil }
        let s = Summary(d)
        let sd = s.std ?? 0, n = Double(d.count)
        let half = Statistics.tQuantile975(degreesOfFreedom: d.count - 1) * sd / n.squareRoot()
        let t = sd > 0 ? s.mean / (sd / n.squareRoot()) : (s.mean == 0 ? 0 : .infinity)
        return Estimate(n: d.count, mean: s.mean, low: s.mean - half, high: s.mean + half,
                        pValue: Statistics.twoSidedP(t, degreesOfFreedom: n - 1))
    }

    /// mean(a) - mean(b) for two independent samples, with Welch's interval and p-value; nil
    /// unless both have two values or more.
    static func welch(_ a: [Double], _ b: [Double]) -> Estimate? {
        guard a.count >= minimumPairs, b.count >= minimumPairs else { return nil }
        let sa = Summary(a), sb = Summary(b)
        let va = pow(sa.std ?? 0, 2) / Double(a.count), vb = pow(sb.std ?? 0, 2) / Double(b.count)
        let se = (va + vb).squareRoot(), mean = sa.mean - sb.mean
        guard se > 0 else {
            return Estimate(n: min(a.count, b.count), mean: mean, low: mean, high: mean, pValue: mean == 0 ? 1 : 0)
        }
        let df = pow(va + vb, 2) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let half = Statistics.tQuantile(0.975, degreesOfFreedom: df) * se
        return Estimate(n: min(a.count, b.count), mean: mean, low: mean - half, high: mean + half,
                        pValue: Statistics.twoSidedP(mean / se, degreesOfFreedom: df))
    }

    /// Holm's step-down procedure: which of the hypotheses with these p-values are rejected at
    /// family-wise error rate `alpha` (the smallest p against alpha/m, the next against alpha/(m-1), ...
    /// stopping at the first that is not).
    static func holm(_ pValues: [Double], alpha: Double) -> [Bool] {
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var rejected = [Bool](repeating: false, count: pValues.count)
        for (rank, i) in order.enumerated() {
            guard pValues[i] <= alpha / Double(pValues.count - rank) else { break }
            rejected[i] = true
        }
        return rejected
    }
}
