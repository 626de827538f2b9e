import Foundation

/// The paper's four claims (section 5, 结论): under the same data and training settings StatNet
/// (1) converges faster, (2) reaches a higher test accuracy, (3) a lower loss, and (4) loses
/// less performance with little training data. Each gets the primary measure the analysis plan
/// names (`AnalysisPlan`), StatNet against MLPNet paired by seed with a 95% t interval and the
/// exact sign-flip p-value beside it, oriented so that a positive value favours StatNet, the
/// plan's margin, and a zone verdict (`ClaimVerdict`); the Holm adjustment runs over the primary
/// rows. Sensitivity rows (the loss after calibration, little data on other scales) and the
/// secondary measures stand beside them. What the runs lack (old runs kept no outputs) is said
/// to be missing, never filled in.
public enum Claims {
    public enum Claim: String, Codable, Sendable, CaseIterable {
        case convergence, accuracy, loss
        case littleData = "little-data"
    }

    /// The plan this report applies.
    public static var plan: AnalysisPlan { .current }
    public static var accuracyMargin: Double { plan.margin(of: .accuracy) }
    public static var lossMargin: Double { plan.margin(of: .loss) }
    public static var convergenceMargin: Double { plan.margin(of: .convergence) }
    public static var littleDataMargin: Double { plan.margin(of: .littleData) }
    /// The family-wise error rate of the Holm adjustment, and the intervals' level.
    public static var alpha: Double { plan.alpha }
    /// The validation accuracy whose first reaching counts as "converged" (a secondary measure).
    public static let convergenceAccuracy = 0.97
    /// The steps every training size reaches in 20 epochs (100 images: 2 batches a epoch).
    public static let convergenceSteps = 40
    /// The training set of the little-data claim's primary measure, and the others shown beside it.
    public static let littleDataSize = 1_000
    public static let littleDataOtherSizes = [100, 500, 5_000, 10_000, 30_000]
    /// The relative-error sensitivity row's margin: error rates within 10% of each other.
    public static let relativeErrorMargin = log(1.1)
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
        /// The train_log.csv curve (empty when the run has no log).
        public let trainingCurve: TrainingCurve
        /// The final model's logits (nil: a run made before they were kept).
        public let outputs: RunOutputs?
        /// When the run was started (nil: not recorded).
        public let created: Date?

        public init(preset: Preset, model: ModelKind, trainSize: Int, seed: UInt64, testAccuracy: Double, testLoss: Double,
                    validationAccuracy: [Double], validationLoss: [Double], batchesPerEpoch: Int,
                    trainingCurve: TrainingCurve = TrainingCurve(points: []), outputs: RunOutputs? = nil, created: Date? = nil) {
            self.preset = preset
            self.model = model
            self.trainSize = trainSize
            self.seed = seed
            self.testAccuracy = testAccuracy
            self.testLoss = testLoss
            self.validationAccuracy = validationAccuracy
            self.validationLoss = validationLoss
            self.batchesPerEpoch = batchesPerEpoch
            self.trainingCurve = trainingCurve
            self.outputs = outputs
            self.created = created
        }

        /// Batches until the validation accuracy first reached `level` (checked after each
        /// epoch), or nil when it never did (a censored run).
        public func batchesToReach(_ level: Double) -> Int? {
            validationAccuracy.firstIndex { $0 >= level }.map { ($0 + 1) * batchesPerEpoch }
        }

        /// The area under the validation-accuracy curve over the epochs (their mean) divided by
        /// the last epoch's: 1 for a run at its plateau from the first epoch, less the slower it rose;
        /// nil for a run of one epoch, where it is 1 whatever the run did.
        public var normalisedValidationArea: Double? {
            guard validationAccuracy.count >= 2, let last = validationAccuracy.last, last > 0 else { return nil }
            return validationAccuracy.reduce(0, +) / Double(validationAccuracy.count) / last
        }
    }

    /// Why a measure is a row of the claims table: the plan's primary measure, or a sensitivity
    /// analysis of it.
    public enum Role: String, Codable, Sendable { case primary, sensitivity }

    /// One row of the claims table (and of `results.json`'s "claims").
    public struct Row: Codable, Sendable, Equatable {
        public let claim: String
        public let preset: String
        public let role: Role
        /// The measure, in words.
        public let measure: String
        public let unit: String
        /// Pairs of runs behind the interval.
        public let n: Int
        public let mean: Double
        public let low: Double
        public let high: Double
        public let margin: Double
        public let verdict: ClaimVerdict
        /// After Holm over the primary rows (a sensitivity row keeps its own verdict).
        public let verdictHolm: ClaimVerdict
        /// Two-sided p-value of "no difference", from the t distribution.
        public let pValue: Double
        /// The exact sign-flip permutation p-value of the same differences.
        public let exactP: Double
        /// The two-level bootstrap interval over seeds and test images (nil: not computed, or
        /// the runs kept no outputs).
        public let bootstrapLow: Double?
        public let bootstrapHigh: Double?
        /// The largest difference, either way, that the interval still allows.
        public let largestAllowed: Double
        /// Whether every run behind the row was started after the analysis plan was fixed.
        public let preRegistered: Bool
        /// How the interval was made, where it is not a plain paired t interval of one size.
        public let note: String?
    }

    /// A measure's estimate: mean, 95% t interval, t and exact p-values and the pairs behind it.
    public struct Estimate: Codable, Sendable, Equatable {
        public let n: Int
        public let mean: Double
        public let low: Double
        public let high: Double
        public let pValue: Double
        public let exactP: Double
    }

    /// The measures shown beside the claims' rows.
    public struct Secondary: Codable, Sendable {
        public struct Convergence: Codable, Sendable {
            public let preset: String
            /// Batches until 97% validation accuracy at the full size, per model (nil: not reached).
            public let statnetBatches: [Int?]
            public let mlpnetBatches: [Int?]
            /// Pairs where StatNet got there first (or MLPNet never did), where MLPNet did, and ties;
            /// the two-sided sign test's p-value over the untied pairs.
            public let statnetFaster: Int
            public let mlpnetFaster: Int
            public let ties: Int
            public let signTestP: Double
            /// StatNet − MLPNet area under the validation-accuracy curve over its final level.
            public let normalisedValidationArea: Estimate?
            /// MLPNet − StatNet mean training loss over the first steps, at each size.
            public let firstSteps: [SizeEstimate]
        }
        public struct SizeEstimate: Codable, Sendable {
            public let trainSize: Int
            public let estimate: Estimate
        }
        public struct LittleData: Codable, Sendable {
            public let preset: String
            public let trainSize: Int
            /// MLPNet's accuracy lost minus StatNet's, in percentage points, paired by seed.
            public let accuracyLostDifference: Estimate
        }
        public struct Trend: Codable, Sendable {
            public let preset: String
            /// The StatNet − MLPNet accuracy gap (points) against log10(training images).
            public let regression: ClusteredRegression
            public let sizes: [Int]
        }
        public struct Calibration: Codable, Sendable {
            public let preset: String
            public let model: String
            public let runs: Int
            public let temperature: Summary
            public let testLossBefore: Summary
            public let testLossAfter: Summary
            public let eceBefore: Summary
            public let eceAfter: Summary
            /// The reliability bins of the first seed's run, before and after scaling.
            public let binsBefore: [TemperatureScaling.Bin]
            public let binsAfter: [TemperatureScaling.Bin]
        }
        public struct McNemar: Codable, Sendable {
            public let preset: String
            public let seed: UInt64
            public let test: McNemarTest
        }
        public let convergence: [Convergence]
        public let littleData: [LittleData]
        public let trends: [Trend]
        public let calibration: [Calibration]
        public let mcnemar: [McNemar]
        /// What the runs lack, in words; the report prints each after "Not available in these runs:".
        public let unavailable: [String]

        public static let empty = Secondary(convergence: [], littleData: [], trends: [], calibration: [], mcnemar: [], unavailable: [])
    }

    /// One StatNet run and the MLPNet run of the same seed.
    typealias Pair = (statnet: RunOutcome, mlpnet: RunOutcome)

    /// The rows for `presets` (claims in order within each preset) and the secondary measures.
    public static func evaluate(_ runs: [RunOutcome], presets: [Preset], fullTrainSize full: Int) -> (rows: [Row], secondary: Secondary) {
        func pairs(_ preset: Preset, _ size: Int) -> [Pair] {
            func cell(_ model: ModelKind) -> [UInt64: RunOutcome] {
                Dictionary(runs.filter { $0.preset == preset && $0.model == model && $0.trainSize == size }.map { ($0.seed, $0) },
                           uniquingKeysWith: { a, _ in a })
            }
            let s = cell(.statnet), m = cell(.mlpnet)
            return s.keys.sorted().compactMap { seed in m[seed].map { (s[seed]!, $0) } }
        }
        /// value(StatNet) − value(MLPNet), times `sign`, over the pairs where both have it.
        func differences(_ pairs: [Pair], sign: Double = 1, _ value: (RunOutcome) -> Double?) -> [Double] {
            pairs.compactMap { p in value(p.statnet).flatMap { a in value(p.mlpnet).map { b in sign * (a - b) } } }
        }
        struct Draft {
            let claim: Claim, preset: Preset, role: Role, measure: String, unit: String, margin: Double
            let estimate: Estimate, bootstrap: (low: Double, high: Double)?, runs: [RunOutcome], note: String?
        }
        var drafts: [Draft] = []
        var secondary = (convergence: [Secondary.Convergence](), littleData: [Secondary.LittleData](), trends: [Secondary.Trend](),
                         calibration: [Secondary.Calibration](), mcnemar: [Secondary.McNemar]())
        var unavailable = Set<String>()
        let sizes = Array(Set(runs.map(\.trainSize))).sorted()
        for preset in presets {
            let fullPairs = pairs(preset, full)
            let fullRuns = fullPairs.flatMap { [$0.statnet, $0.mlpnet] }
            let withOutputs = fullPairs.allSatisfy { $0.statnet.outputs != nil && $0.mlpnet.outputs != nil } && !fullPairs.isEmpty
            if !withOutputs { unavailable.insert("per-image outputs (so no bootstrap over test images, McNemar test or calibration)") }

            // 1. Convergence: the mean training loss over the first epoch, MLPNet − StatNet.
            let curveLoss = differences(fullPairs, sign: -1) { $0.trainingCurve.meanLoss(overFirst: $0.batchesPerEpoch) }
            if let e = estimate(curveLoss) {
                drafts.append(Draft(claim: .convergence, preset: preset, role: .primary,
                                    measure: "mean training loss over epoch 1 (area under the train_log curve), MLPNet − StatNet",
                                    unit: "cross-entropy", margin: convergenceMargin, estimate: e, bootstrap: nil, runs: fullRuns, note: nil))
            } else if !fullPairs.isEmpty {
                unavailable.insert("training-loss curves (train_log.csv), so no convergence verdict")
            }

            // 2. Accuracy, 3. loss: with the two-level bootstrap when the outputs are there.
            let accuracyImages = withOutputs ? fullPairs.map { p in
                PairedBootstrap.Pair(statnet: correctness(p.statnet.outputs!), mlpnet: correctness(p.mlpnet.outputs!))
            } : nil
            if let e = estimate(differences(fullPairs) { 100 * $0.testAccuracy }) {
                let b = accuracyImages.flatMap { PairedBootstrap.interval($0) }.map { (100 * $0.low, 100 * $0.high) }
                drafts.append(Draft(claim: .accuracy, preset: preset, role: .primary, measure: "test accuracy, StatNet − MLPNet", unit: "pp",
                                    margin: accuracyMargin, estimate: e, bootstrap: b, runs: fullRuns, note: nil))
            }
            if let e = estimate(differences(fullPairs, sign: -1) { $0.testLoss }) {
                let images = withOutputs ? fullPairs.map { p in
                    PairedBootstrap.Pair(statnet: imageLosses(p.statnet.outputs!), mlpnet: imageLosses(p.mlpnet.outputs!))
                } : nil
                let b = images.flatMap { PairedBootstrap.interval($0, sign: -1) }
                drafts.append(Draft(claim: .loss, preset: preset, role: .primary, measure: "test mean cross-entropy, MLPNet − StatNet",
                                    unit: "cross-entropy", margin: lossMargin, estimate: e, bootstrap: b, runs: fullRuns, note: nil))
            }
            if withOutputs {
                // The loss after temperature scaling (fitted on the validation images), and calibration.
                let scaled = fullPairs.map { p in (calibrated(p.statnet.outputs!), calibrated(p.mlpnet.outputs!)) }
                if let e = estimate(scaled.map { $0.1.lossAfter - $0.0.lossAfter }) {
                    drafts.append(Draft(claim: .loss, preset: preset, role: .sensitivity,
                                        measure: "test mean cross-entropy after temperature scaling, MLPNet − StatNet", unit: "cross-entropy",
                                        margin: lossMargin, estimate: e, bootstrap: nil, runs: fullRuns,
                                        note: "one temperature per run, fitted on its validation images"))
                }
                for (model, index) in [(ModelKind.statnet, 0), (.mlpnet, 1)] {
                    let c = scaled.map { index == 0 ? $0.0 : $0.1 }
                    secondary.calibration.append(Secondary.Calibration(
                        preset: preset.rawValue, model: model.rawValue, runs: c.count, temperature: Summary(c.map(\.temperature)),
                        testLossBefore: Summary(c.map(\.lossBefore)), testLossAfter: Summary(c.map(\.lossAfter)),
                        eceBefore: Summary(c.map(\.eceBefore)), eceAfter: Summary(c.map(\.eceAfter)),
                        binsBefore: c.first?.binsBefore ?? [], binsAfter: c.first?.binsAfter ?? []))
                }
                for p in fullPairs {
                    let labels = p.statnet.outputs!.testLabels
                    secondary.mcnemar.append(Secondary.McNemar(preset: preset.rawValue, seed: p.statnet.seed,
                                                               test: McNemarTest(statnet: predictions(p.statnet.outputs!), mlpnet: predictions(p.mlpnet.outputs!), labels: labels)))
                }
            }

            // 4. Little data: the accuracy lost from the full size, paired by seed; other scales beside.
            for size in [littleDataSize] + littleDataOtherSizes where size < full {
                let smallPairs = pairs(preset, size)
                let fullBySeed = Dictionary(fullPairs.map { ($0.statnet.seed, $0) }, uniquingKeysWith: { a, _ in a })
                let both = smallPairs.compactMap { small in fullBySeed[small.statnet.seed].map { (small, $0) } }
                func contrast(_ value: (Pair) -> Double) -> [Double] { both.map { value($0.0) - value($0.1) } }
                let gap = { (p: Pair) in 100 * (p.statnet.testAccuracy - p.mlpnet.testAccuracy) }
                guard let e = estimate(contrast(gap)) else { continue }
                secondary.littleData.append(Secondary.LittleData(preset: preset.rawValue, trainSize: size, accuracyLostDifference: e))
                guard size == littleDataSize else { continue }
                let runsBehind = both.flatMap { [$0.0.statnet, $0.0.mlpnet, $0.1.statnet, $0.1.mlpnet] }
                let note = "the StatNet − MLPNet gap at \(size) images minus the gap at \(full), paired by seed over the \(both.count) seeds run at both sizes"
                drafts.append(Draft(claim: .littleData, preset: preset, role: .primary,
                                    measure: "accuracy lost from \(full) to \(size) training images, MLPNet's − StatNet's", unit: "pp",
                                    margin: littleDataMargin, estimate: e, bootstrap: nil, runs: runsBehind, note: note))
                let relative = { (p: Pair) in log(max(1 - p.mlpnet.testAccuracy, 1e-6) / max(1 - p.statnet.testAccuracy, 1e-6)) }
                if let r = estimate(contrast(relative)) {
                    drafts.append(Draft(claim: .littleData, preset: preset, role: .sensitivity,
                                        measure: "relative error: log(MLPNet's error / StatNet's) at \(size) minus at \(full) images", unit: "log ratio",
                                        margin: relativeErrorMargin, estimate: r, bootstrap: nil, runs: runsBehind,
                                        note: "margin log 1.1: error rates within 10% of each other"))
                }
                let lossGap = { (p: Pair) in p.mlpnet.testLoss - p.statnet.testLoss }
                if let l = estimate(contrast(lossGap)) {
                    drafts.append(Draft(claim: .littleData, preset: preset, role: .sensitivity,
                                        measure: "test cross-entropy gap, MLPNet − StatNet, at \(size) minus at \(full) images", unit: "cross-entropy",
                                        margin: lossMargin, estimate: l, bootstrap: nil, runs: runsBehind, note: nil))
                }
            }
            // The trend the claim describes: the gap against log10(size), seeds as clusters.
            let trendPoints = sizes.flatMap { size in pairs(preset, size).map { (size: size, pair: $0) } }
            if let regression = ClusteredRegression(x: trendPoints.map { log10(Double($0.size)) },
                                                    y: trendPoints.map { 100 * ($0.pair.statnet.testAccuracy - $0.pair.mlpnet.testAccuracy) },
                                                    cluster: trendPoints.map { $0.pair.statnet.seed }) {
                secondary.trends.append(Secondary.Trend(preset: preset.rawValue, regression: regression, sizes: sizes))
            }

            // Convergence, secondary: time to 97% (censored), the normalised validation area, the first steps.
            guard !fullPairs.isEmpty else { continue }
            var faster = (statnet: 0, mlpnet: 0, ties: 0)
            for p in fullPairs {
                switch (p.statnet.batchesToReach(convergenceAccuracy), p.mlpnet.batchesToReach(convergenceAccuracy)) {
                case let (a?, b?): if a < b { faster.statnet += 1 } else if b < a { faster.mlpnet += 1 } else { faster.ties += 1 }
                case (.some, nil): faster.statnet += 1
                case (nil, .some): faster.mlpnet += 1
                case (nil, nil): faster.ties += 1
                }
            }
            let firstSteps = sizes.compactMap { size in
                estimate(differences(pairs(preset, size), sign: -1) { $0.trainingCurve.meanLoss(overFirst: convergenceSteps) })
                    .map { Secondary.SizeEstimate(trainSize: size, estimate: $0) }
            }
            secondary.convergence.append(Secondary.Convergence(
                preset: preset.rawValue, statnetBatches: fullPairs.map { $0.statnet.batchesToReach(convergenceAccuracy) },
                mlpnetBatches: fullPairs.map { $0.mlpnet.batchesToReach(convergenceAccuracy) },
                statnetFaster: faster.statnet, mlpnetFaster: faster.mlpnet, ties: faster.ties,
                signTestP: McNemarTest(statnetOnly: faster.statnet, mlpnetOnly: faster.mlpnet).pValue,
                normalisedValidationArea: estimate(differences(fullPairs) { $0.normalisedValidationArea }), firstSteps: firstSteps))
        }
        let primaries = drafts.indices.filter { drafts[$0].role == .primary }
        let rejected = holm(primaries.map { drafts[$0].estimate.pValue }, alpha: alpha)
        let survived = Dictionary(uniqueKeysWithValues: zip(primaries, rejected))
        let rows = drafts.enumerated().map { index, d -> Row in
            let e = d.estimate
            let margin = d.margin
            let verdict = ClaimVerdict(low: e.low, high: e.high, margin: margin)
            // Holm adjusts the tests of "the difference is 0" over the primary rows: a zone that
            // claims a difference stands only if its test survives.
            let holmVerdict = survived[index].map { ClaimVerdict(low: e.low, high: e.high, margin: margin, differenceShown: $0) } ?? verdict
            return Row(claim: d.claim.rawValue, preset: d.preset.rawValue, role: d.role, measure: d.measure, unit: d.unit, n: e.n,
                       mean: e.mean, low: e.low, high: e.high, margin: d.margin, verdict: verdict, verdictHolm: holmVerdict,
                       pValue: e.pValue, exactP: e.exactP, bootstrapLow: d.bootstrap?.low, bootstrapHigh: d.bootstrap?.high,
                       largestAllowed: abs(e.high) >= abs(e.low) ? e.high : e.low,
                       preRegistered: plan.preRegistered(d.runs.map(\.created)), note: d.note)
        }
        return (rows, Secondary(convergence: secondary.convergence, littleData: secondary.littleData, trends: secondary.trends,
                                calibration: secondary.calibration, mcnemar: secondary.mcnemar, unavailable: unavailable.sorted()))
    }

    /// One run's calibration: its validation-fitted temperature, the test loss and ECE before and after.
    struct CalibratedRun {
        let temperature, lossBefore, lossAfter, eceBefore, eceAfter: Double
        let binsBefore, binsAfter: [TemperatureScaling.Bin]
    }

    static func calibrated(_ o: RunOutputs) -> CalibratedRun {
        let c = o.classCount
        let t = TemperatureScaling.fit(logits: o.validationLogits, labels: o.validationLabels, classes: c)
        let before = TemperatureScaling.reliability(logits: o.testLogits, labels: o.testLabels, classes: c)
        let after = TemperatureScaling.reliability(logits: o.testLogits, labels: o.testLabels, classes: c, temperature: t)
        return CalibratedRun(temperature: t, lossBefore: TemperatureScaling.crossEntropy(logits: o.testLogits, labels: o.testLabels, classes: c),
                             lossAfter: TemperatureScaling.crossEntropy(logits: o.testLogits, labels: o.testLabels, classes: c, temperature: t),
                             eceBefore: before.ece, eceAfter: after.ece, binsBefore: before.bins, binsAfter: after.bins)
    }

    /// Each test image's predicted class (the first largest logit, as the network's argmax).
    static func predictions(_ o: RunOutputs) -> [Int] {
        let c = o.classCount
        return o.testLabels.indices.map { i in
            var best = 0
            for k in 1..<c where o.testLogits[i * c + k] > o.testLogits[i * c + best] { best = k }
            return best
        }
    }

    static func correctness(_ o: RunOutputs) -> [Double] {
        zip(predictions(o), o.testLabels).map { $0 == Int($1) ? 1 : 0 }
    }

    /// Each test image's cross-entropy.
    static func imageLosses(_ o: RunOutputs) -> [Double] {
        let c = o.classCount
        return o.testLabels.indices.map { i in
            let row = o.testLogits[i * c..<(i + 1) * c].map(Double.init)
            let top = row.max()!
            return log(row.reduce(0) { $0 + exp($1 - top) }) + top - row[Int(o.testLabels[i])]
        }
    }

    /// Mean, 95% t interval, t and exact p-values of paired differences; nil with fewer than two.
    static func estimate(_ d: [Double]) -> Estimate? {
        guard d.count >= minimumPairs else { return nil }
        let s = Summary(d)
        let sd = s.std ?? 0, n = Double(d.count)
        let half = Statistics.tQuantile975(degreesOfFreedom: d.count - 1) * sd / n.squareRoot()
        let t = sd > 0 ? s.mean / (sd / n.squareRoot()) : (s.mean == 0 ? 0 : .infinity)
        return Estimate(n: d.count, mean: s.mean, low: s.mean - half, high: s.mean + half,
                        pValue: Statistics.twoSidedP(t, degreesOfFreedom: n - 1), exactP: SignFlipTest.pValue(d))
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
