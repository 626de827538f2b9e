import XCTest
@testable import StatNet

/// The claims code on synthetic runs with known differences: every zone of the verdict rule,
/// the Holm adjustment, the paired little-data measure, the curve-based convergence measure and
/// the censored time to 97%.
final class ClaimsTests: XCTestCase {
    /// Each zone, at its edges (m = 0.5), and what the Holm fallback leaves.
    func testVerdictZones() {
        let m = 0.5
        let cases: [((Double, Double), ClaimVerdict)] = [
            ((0.6, 1.2), .betterBeyondMargin),
            ((0.2, 0.9), .betterPossiblyWithinMargin), ((0.5, 0.9), .betterPossiblyWithinMargin), ((0.2, 0.5), .betterPossiblyWithinMargin),
            ((0.1, 0.3), .betterNegligibly), ((0.01, 0.49), .betterNegligibly),
            ((-0.4, 0.45), .equivalent), ((0, 0.2), .equivalent), ((-0.2, 0), .equivalent),
            ((-0.3, -0.1), .worseNegligibly),
            ((-0.9, -0.2), .worsePossiblyWithinMargin), ((-0.5, -0.2), .worsePossiblyWithinMargin),
            ((-1.2, -0.6), .worseBeyondMargin),
            ((-0.4, 0.6), .undecided), ((-0.5, 0.2), .undecided), ((-2, 2), .undecided),
        ]
        for ((low, high), zone) in cases {
            XCTAssertEqual(ClaimVerdict(low: low, high: high, margin: m), zone, "[\(low), \(high)]")
        }
        // A difference whose zero-test does not survive Holm: equivalent if inside the margins, else undecided.
        XCTAssertEqual(ClaimVerdict(low: 0.1, high: 0.3, margin: m, differenceShown: false), .equivalent)
        XCTAssertEqual(ClaimVerdict(low: 0.2, high: 0.9, margin: m, differenceShown: false), .undecided)
        XCTAssertEqual(ClaimVerdict(low: 0.6, high: 1.2, margin: m, differenceShown: false), .undecided)
        XCTAssertEqual(ClaimVerdict(low: -0.3, high: -0.1, margin: m, differenceShown: false), .equivalent)
        XCTAssertTrue(ClaimVerdict.betterNegligibly.favoursStatNet && ClaimVerdict.worseBeyondMargin.favoursMLPNet)
        XCTAssertFalse(ClaimVerdict.equivalent.favoursStatNet || ClaimVerdict.equivalent.favoursMLPNet)
    }

    func testHolmStepDown() {
        // m = 4: 0.005 <= 0.0125, 0.01 <= 0.05/3, then 0.03 > 0.025 stops (0.04 is not tested).
        XCTAssertEqual(Claims.holm([0.01, 0.04, 0.03, 0.005], alpha: 0.05), [true, false, false, true])
        XCTAssertEqual(Claims.holm([0.2, 0.001], alpha: 0.05), [false, true])
        XCTAssertEqual(Claims.holm([], alpha: 0.05), [])
    }

    func testStudentT() {
        XCTAssertEqual(Statistics.tCDF(2.776, degreesOfFreedom: 4), 0.975, accuracy: 1e-4)
        XCTAssertEqual(Statistics.tCDF(-1.812, degreesOfFreedom: 10), 0.05, accuracy: 1e-4)
        XCTAssertEqual(Statistics.tCDF(0, degreesOfFreedom: 3), 0.5, accuracy: 1e-12)
        XCTAssertEqual(Statistics.twoSidedP(2.228, degreesOfFreedom: 10), 0.05, accuracy: 1e-4)
        XCTAssertEqual(Statistics.tQuantile(0.975, degreesOfFreedom: 4), 2.776, accuracy: 1e-3)
        XCTAssertEqual(Statistics.tQuantile(0.975, degreesOfFreedom: 7.5), 2.333040, accuracy: 1e-5, "scipy.stats.t.ppf(0.975, 7.5)")
        for df in [1, 2, 5, 30] {
            XCTAssertEqual(Statistics.tQuantile(0.975, degreesOfFreedom: Double(df)), Statistics.tQuantile975(degreesOfFreedom: df), accuracy: 1e-3)
        }
    }

    /// A flat training-loss curve at `level` for `epochs` epochs of `batches` (logged every 5 batches).
    func curve(_ level: Double, batches: Int = 10, epochs: Int = 4) -> TrainingCurve {
        TrainingCurve(points: (1...epochs).flatMap { e in stride(from: 5, through: batches, by: 5).map { b in
            TrainingCurve.Point(step: (e - 1) * batches + b, loss: level)
        } })
    }

    /// Runs made so that each (claim, preset) lands in a known zone (margins: 0.5 pp, 0.02).
    ///
    /// paper: StatNet 3 pp better (better by more than the margin), loss 0.1 lower (beyond the
    ///   margin), training loss 0.5 lower over epoch 1 (beyond), the same gap at 1,000 images as at
    ///   55,000 (equivalent).
    /// physics: StatNet 0.1 pp better with little noise (better, but negligibly), its loss 0.05
    ///   higher (worse by more than the margin), the training loss noisy around equal (undecided),
    ///   and the gap at 1,000 about 0.5 pp larger than at 55,000 with noise (better, possibly by less).
    func syntheticRuns() -> [Claims.RunOutcome] {
        var runs: [Claims.RunOutcome] = []
        func add(_ preset: Preset, _ model: ModelKind, _ size: Int, _ seed: Int, accuracy: Double, loss: Double, trainLoss: Double,
                 reaches97: Bool = true) {
            let validation = reaches97 ? [0.95, 0.955, 0.965, 0.972] : [0.95, 0.955, 0.965, 0.969]
            runs.append(Claims.RunOutcome(preset: preset, model: model, trainSize: size, seed: UInt64(seed), testAccuracy: accuracy,
                                          testLoss: loss, validationAccuracy: validation, validationLoss: validation.map { 1 - $0 },
                                          batchesPerEpoch: 10, trainingCurve: curve(trainLoss)))
        }
        let wobble = [0.0, 0.001, -0.001, 0.002, -0.002]   // seed noise shared by both models
        let noise = [0.0003, -0.0002, 0.0001, -0.0003, 0.0001]
        for seed in 0..<5 {
            let w = wobble[seed]
            add(.paper, .statnet, 55_000, seed, accuracy: 0.97 + w, loss: 0.10 + w, trainLoss: 0.3 + w)
            add(.paper, .mlpnet, 55_000, seed, accuracy: 0.94 + w + noise[seed], loss: 0.20 + w, trainLoss: 0.8 + w,
                reaches97: seed % 2 == 0)   // MLPNet: some runs never reach 97% (censored)
            add(.physics, .statnet, 55_000, seed, accuracy: 0.981 + w + noise[seed] / 3, loss: 0.15 + w / 10,
                trainLoss: 0.3 + [0.2, -0.25, 0.15, -0.1, 0.05][seed])
            add(.physics, .mlpnet, 55_000, seed, accuracy: 0.980 + w, loss: 0.10 + w / 10 + noise[seed] / 10, trainLoss: 0.3)
            // 1,000 images: the paper gap as at 55,000; the physics gap 0.5 pp larger, with noise.
            add(.paper, .statnet, 1_000, seed, accuracy: 0.90 + w, loss: 0.3, trainLoss: 0.5)
            add(.paper, .mlpnet, 1_000, seed, accuracy: 0.87 + w + noise[seed] + 0.0001 * Double(seed % 2), loss: 0.4, trainLoss: 0.6)
            add(.physics, .statnet, 1_000, seed, accuracy: 0.906 + w + [0.002, -0.001, 0.0015, -0.002, 0.0][seed], loss: 0.3, trainLoss: 0.5)
            add(.physics, .mlpnet, 1_000, seed, accuracy: 0.90 + w, loss: 0.3, trainLoss: 0.5)
        }
        for seed in 5..<10 {   // seeds run at 1,000 images only: not in the paired contrast
            add(.physics, .statnet, 1_000, seed, accuracy: 0.5, loss: 2, trainLoss: 2)
            add(.physics, .mlpnet, 1_000, seed, accuracy: 0.9, loss: 0.3, trainLoss: 0.5)
        }
        return runs
    }

    func testZonesOnSyntheticRuns() throws {
        let (rows, secondary) = Claims.evaluate(syntheticRuns(), presets: [.paper, .physics], fullTrainSize: 55_000)
        func row(_ claim: Claims.Claim, _ preset: Preset, _ role: Claims.Role = .primary) throws -> Claims.Row {
            try XCTUnwrap(rows.first { $0.claim == claim.rawValue && $0.preset == preset.rawValue && $0.role == role }, "\(claim) \(preset)")
        }
        XCTAssertEqual(rows.filter { $0.role == .primary }.count, 8)
        let accuracy = try row(.accuracy, .paper)
        XCTAssertEqual(accuracy.mean, 3 - 100 * noise.reduce(0, +) / 5, accuracy: 1e-9, "percentage points")
        XCTAssertEqual(accuracy.n, 5)
        XCTAssertEqual(accuracy.verdict, .betterBeyondMargin)
        XCTAssertEqual(accuracy.exactP, 2.0 / 32, accuracy: 1e-12, "5 pairs of one sign: the smallest p an exact test can give")
        XCTAssertLessThan(accuracy.pValue, 1e-6, "the t test's, on the normal model")
        XCTAssertEqual(try row(.loss, .paper).verdict, .betterBeyondMargin)
        XCTAssertEqual(try row(.convergence, .paper).mean, 0.5, accuracy: 1e-9, "MLPNet − StatNet mean training loss over epoch 1")
        XCTAssertEqual(try row(.convergence, .paper).verdict, .betterBeyondMargin)
        let paperLittle = try row(.littleData, .paper)
        XCTAssertEqual(paperLittle.verdict, .equivalent, "\(paperLittle)")
        XCTAssertEqual(paperLittle.n, 5, "paired by seed")

        let physicsAccuracy = try row(.accuracy, .physics)
        XCTAssertEqual(physicsAccuracy.verdict, .betterNegligibly, "\(physicsAccuracy)")
        XCTAssertEqual(try row(.loss, .physics).verdict, .worseBeyondMargin)
        XCTAssertEqual(try row(.convergence, .physics).verdict, .undecided)
        let physicsLittle = try row(.littleData, .physics)
        XCTAssertEqual(physicsLittle.n, 5, "the five seeds at 1,000 images only do not count")
        XCTAssertEqual(physicsLittle.verdict, .betterPossiblyWithinMargin, "\(physicsLittle)")
        XCTAssertTrue(rows.contains { $0.claim == "little-data" && $0.role == .sensitivity && $0.unit == "log ratio" })
        XCTAssertFalse(rows.contains { $0.preRegistered }, "runs without a creation time are never pre-registered")

        // Censored convergence: MLPNet's odd seeds never reach 97% and count as slower.
        let paperConvergence = try XCTUnwrap(secondary.convergence.first { $0.preset == "paper" })
        XCTAssertEqual(paperConvergence.mlpnetBatches, [40, nil, 40, nil, 40])
        XCTAssertEqual(paperConvergence.statnetBatches, [40, 40, 40, 40, 40])
        XCTAssertEqual([paperConvergence.statnetFaster, paperConvergence.mlpnetFaster, paperConvergence.ties], [2, 0, 3])
        XCTAssertEqual(paperConvergence.signTestP, 0.5, accuracy: 1e-12, "two of two untied pairs: 2 * 1/4")
        XCTAssertEqual(secondary.trends.count, 2, "two sizes give a trend line per preset")
        XCTAssertTrue(secondary.unavailable.contains { $0.contains("per-image outputs") }, "no outputs: said, not made up")
        XCTAssertTrue(secondary.calibration.isEmpty && secondary.mcnemar.isEmpty)
    }

    func testNormalisedValidationAreaAndCensoring() {
        func run(_ accuracies: [Double]) -> Claims.RunOutcome {
            Claims.RunOutcome(preset: .physics, model: .statnet, trainSize: 100, seed: 0, testAccuracy: 0.9, testLoss: 0.3,
                              validationAccuracy: accuracies, validationLoss: accuracies.map { _ in 0.3 }, batchesPerEpoch: 7)
        }
        XCTAssertEqual(try XCTUnwrap(run([0.5, 1.0]).normalisedValidationArea), 0.75, accuracy: 1e-12, "mean 0.75 over a last of 1")
        XCTAssertEqual(try XCTUnwrap(run([0.8, 0.8, 0.8]).normalisedValidationArea), 1, accuracy: 1e-12, "at its plateau from epoch 1")
        XCTAssertNil(run([0.9]).normalisedValidationArea, "one epoch: 1 whatever the run did, so no measure")
        XCTAssertEqual(run([0.96, 0.97, 0.99]).batchesToReach(0.97), 14, "reached after epoch 2 of 7 batches")
        XCTAssertNil(run([0.96, 0.969]).batchesToReach(0.97), "never reached: censored")
    }

    let noise = [0.0003, -0.0002, 0.0001, -0.0003, 0.0001]
}
