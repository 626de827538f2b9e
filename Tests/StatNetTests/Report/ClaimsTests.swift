import XCTest
@testable import StatNet

/// The claims code on synthetic runs with known differences: every verdict, the Holm
/// adjustment, the little-data measure and the censored convergence case.
final class ClaimsTests: XCTestCase {
    func testVerdictRule() {
        XCTAssertEqual(ClaimVerdict(low: 0.1, high: 0.3, margin: 0.5), .supported, "above 0 wins even inside the margin")
        XCTAssertEqual(ClaimVerdict(low: -2, high: -0.1, margin: 0.5), .contradicted)
        XCTAssertEqual(ClaimVerdict(low: -0.4, high: 0.45, margin: 0.5), .noDifference)
        XCTAssertEqual(ClaimVerdict(low: -0.4, high: 0.6, margin: 0.5), .undecided)
        XCTAssertEqual(ClaimVerdict(low: -0.5, high: 0.2, margin: 0.5), .undecided, "the margin is open")
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

    /// Runs made so that each (claim, preset) gets a known verdict.
    ///
    /// preset paper: StatNet is 3 pp better everywhere (accuracy, epoch-1 validation, at every
    ///   size, so the gap does not grow with little data), with a lower loss: supported,
    ///   supported, supported, no-difference.
    /// preset physics: StatNet is 1 pp worse (contradicted), the loss differs by noise only
    ///   (no-difference), epoch-1 validation noisy around 0 (undecided), and the gap at 1,000
    ///   images is 0.7 pp smaller than at 55,000 with much noise (supported before Holm, not
    ///   after: four rows have smaller p-values, so it meets alpha / 4).
    func syntheticRuns() -> [Claims.RunOutcome] {
        var runs: [Claims.RunOutcome] = []
        func add(_ preset: Preset, _ model: ModelKind, _ size: Int, _ seed: Int, accuracy: Double, loss: Double, epoch1: Double,
                 reaches97: Bool = true) {
            var validation = [epoch1, epoch1 + 0.005, 0.965, reaches97 ? 0.972 : 0.969]
            if !reaches97 { validation = validation.map { min($0, 0.969) } }
            runs.append(Claims.RunOutcome(preset: preset, model: model, trainSize: size, seed: UInt64(seed), testAccuracy: accuracy,
                                          testLoss: loss, validationAccuracy: validation, validationLoss: validation.map { 1 - $0 },
                                          batchesPerEpoch: 10))
        }
        let wobble = [0.0, 0.001, -0.001, 0.002, -0.002]   // seed noise shared by both models
        for seed in 0..<5 {
            let w = wobble[seed]
            add(.paper, .statnet, 55_000, seed, accuracy: 0.97 + w, loss: 0.10 + w, epoch1: 0.95 + w)
            add(.paper, .mlpnet, 55_000, seed, accuracy: 0.94 + w + (seed == 1 ? 0.001 : 0), loss: 0.20 + w, epoch1: 0.92 + w,
                reaches97: seed % 2 == 0)   // MLPNet: some runs never reach 97% (censored)
            add(.physics, .statnet, 55_000, seed, accuracy: 0.97 + w, loss: 0.10 + w / 10, epoch1: 0.95 + 0.02 * Double(seed - 2) * (seed % 2 == 0 ? 1 : -1))
            add(.physics, .mlpnet, 55_000, seed, accuracy: 0.98 + w + (seed == 3 ? 0.001 : 0), loss: 0.10 + [0.005, -0.004, 0.003, -0.006, 0.002][seed],
                epoch1: 0.95)
        }
        for seed in 0..<10 {
            let w = Double(seed % 5) * 0.0005
            add(.paper, .statnet, 1_000, seed, accuracy: 0.90 + w, loss: 0.3, epoch1: 0.8)
            add(.paper, .mlpnet, 1_000, seed, accuracy: 0.87 + w + (seed % 2 == 0 ? 0.003 : -0.003), loss: 0.4, epoch1: 0.8)
            // physics at 1,000: the gap is -0.3 pp (noisy) against -1.02 pp at 55,000.
            add(.physics, .statnet, 1_000, seed, accuracy: 0.897 + w + (seed % 2 == 0 ? 0.008 : -0.008), loss: 0.3, epoch1: 0.8)
            add(.physics, .mlpnet, 1_000, seed, accuracy: 0.90 + w, loss: 0.3, epoch1: 0.8)
        }
        return runs
    }

    func testVerdictsOnSyntheticRuns() throws {
        let (rows, secondary) = Claims.evaluate(syntheticRuns(), presets: [.paper, .physics], fullTrainSize: 55_000)
        XCTAssertEqual(rows.count, 8)
        func row(_ claim: Claims.Claim, _ preset: Preset) throws -> Claims.Row {
            try XCTUnwrap(rows.first { $0.claim == claim.rawValue && $0.preset == preset.rawValue }, "\(claim) \(preset)")
        }
        let accuracy = try row(.accuracy, .paper)
        XCTAssertEqual(accuracy.mean, 3 - 0.02, accuracy: 1e-9, "percentage points, seed 1's MLPNet +0.1 pp")
        XCTAssertEqual(accuracy.n, 5)
        XCTAssertEqual(accuracy.unit, "pp")
        XCTAssertEqual(accuracy.verdict, .supported)
        XCTAssertEqual(accuracy.verdictHolm, .supported)
        XCTAssertEqual(try row(.convergence, .paper).verdict, .supported)
        XCTAssertEqual(try row(.convergence, .paper).mean, 3, accuracy: 1e-9)
        let paperLoss = try row(.loss, .paper)
        XCTAssertEqual(paperLoss.mean, 0.1, accuracy: 1e-12, "MLPNet − StatNet: positive favours StatNet")
        XCTAssertEqual(paperLoss.verdict, .supported)
        let paperLittle = try row(.littleData, .paper)
        XCTAssertEqual(paperLittle.verdict, .noDifference, "\(paperLittle)")
        XCTAssertEqual(paperLittle.n, 5, "the smaller sample: 5 seeds at 55,000, 10 at 1,000")

        let physicsAccuracy = try row(.accuracy, .physics)
        XCTAssertEqual(physicsAccuracy.mean, -1.02, accuracy: 1e-9)
        XCTAssertEqual(physicsAccuracy.verdict, .contradicted)
        XCTAssertEqual(physicsAccuracy.verdictHolm, .contradicted)
        XCTAssertEqual(try row(.loss, .physics).verdict, .noDifference)
        let physicsConvergence = try row(.convergence, .physics)
        XCTAssertEqual(physicsConvergence.verdict, .undecided)
        XCTAssertEqual(physicsConvergence.largestAllowed, max(-physicsConvergence.low, physicsConvergence.high))
        let physicsLittle = try row(.littleData, .physics)
        XCTAssertEqual(physicsLittle.mean, 0.72, accuracy: 1e-9, "gap -0.3 at 1,000 minus gap -1.02 at 55,000")
        XCTAssertEqual(physicsLittle.verdict, .supported, "\(physicsLittle)")
        XCTAssertTrue((Claims.alpha / 4...Claims.alpha).contains(physicsLittle.pValue), "significant alone, too weak for Holm's fifth step: \(physicsLittle.pValue)")
        XCTAssertEqual(physicsLittle.verdictHolm, .undecided, "supported before the adjustment, not after: \(physicsLittle)")

        // Censored convergence: MLPNet's odd seeds never reach 97%; batches saved only over pairs where both did.
        let paperConvergence = try XCTUnwrap(secondary.convergence.first { $0.preset == "paper" })
        XCTAssertEqual(paperConvergence.mlpnetBatches, [40, nil, 40, nil, 40])
        XCTAssertEqual(paperConvergence.statnetBatches, [40, 40, 40, 40, 40])
        XCTAssertEqual(paperConvergence.batchesSaved?.n, 3)
        XCTAssertEqual(paperConvergence.batchesSaved?.mean, 0)
        XCTAssertEqual(secondary.littleData.filter { $0.preset == "paper" }.map(\.trainSize), [1_000], "sizes without runs are left out")
    }
}
