import Foundation
import XCTest
@testable import StatNet

/// The analysis's statistics against values computed independently with NumPy and SciPy
/// (Fixtures/analysis_reference.py, which wrote Fixtures/analysis_reference.json).
final class AnalysisTests: XCTestCase {
    struct Reference: Decodable {
        struct SignFlip: Decodable { let d: [Double]; let p: Double }
        struct TInterval: Decodable { let d: [Double]; let mean, low, high, p: Double }
        struct Clustered: Decodable { let x, y: [Double]; let cluster: [UInt64]; let intercept, slope, se, low, high, p: Double }
        struct Temperature: Decodable { let a: Double; let labels: [UInt8]; let temperature: Double }
        struct Bootstrap: Decodable { struct Pair: Decodable { let statnet, mlpnet: [Double] }; let pairs: [Pair]; let low, high: Double }
        struct McNemar: Decodable { let statnetOnly, mlpnetOnly: Int; let p: Double }
        struct ECE: Decodable { let confidences: [Double]; let correct: [Int]; let ece: Double }
        let signFlip: SignFlip, tInterval: TInterval, clustered: Clustered, temperature: Temperature, bootstrap: Bootstrap, mcnemar: McNemar, ece: ECE
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: TestPaths.fixtures.appendingPathComponent("analysis_reference.json")))
    }

    func testExactSignFlipAgainstEnumeration() throws {
        let r = try reference().signFlip
        XCTAssertEqual(SignFlipTest.pValue(r.d), r.p, accuracy: 1e-12)
        XCTAssertEqual(SignFlipTest.pValue([1, 2, 3, 4, 5]), 2.0 / 32, accuracy: 1e-12)
        XCTAssertEqual(SignFlipTest.smallestPossible(pairs: 5), 0.0625)
        XCTAssertEqual(SignFlipTest.pValue([0, 0, 0]), 1)
        // Above the exact limit the seeded sample agrees with the exact value it estimates.
        let many = (0..<24).map { Double($0 % 5) - 1.6 }
        XCTAssertEqual(SignFlipTest.pValue(many), SignFlipTest.pValue(many), "seeded: the same every time")
    }

    func testTIntervalAgainstScipy() throws {
        let r = try reference().tInterval
        let e = try XCTUnwrap(Claims.estimate(r.d))
        XCTAssertEqual(e.mean, r.mean, accuracy: 1e-12)
        XCTAssertEqual(e.low, r.low, accuracy: 2e-3, "the t table's three decimals")
        XCTAssertEqual(e.high, r.high, accuracy: 2e-3)
        XCTAssertEqual(e.pValue, r.p, accuracy: 1e-6)
    }

    func testClusteredRegressionAgainstTheSandwich() throws {
        let r = try reference().clustered
        let fit = try XCTUnwrap(ClusteredRegression(x: r.x, y: r.y, cluster: r.cluster))
        XCTAssertEqual(fit.intercept, r.intercept, accuracy: 1e-10)
        XCTAssertEqual(fit.slope, r.slope, accuracy: 1e-10)
        XCTAssertEqual(fit.slopeStandardError, r.se, accuracy: 1e-10)
        XCTAssertEqual(fit.low, r.low, accuracy: 1e-6)
        XCTAssertEqual(fit.high, r.high, accuracy: 1e-6)
        XCTAssertEqual(fit.pValue, r.p, accuracy: 1e-6)
        XCTAssertEqual(fit.clusters, 3)
        XCTAssertNil(ClusteredRegression(x: [1, 2, 3], y: [1, 2, 3], cluster: [0, 0, 0]), "one cluster: no clustered error")
    }

    /// Two classes, logits (a, -a), the first class right for 80%: the optimum is 2a / logit(0.8).
    func testTemperatureAgainstItsClosedForm() throws {
        let r = try reference().temperature
        let logits = r.labels.flatMap { _ in [Float(r.a), Float(-r.a)] }
        let t = TemperatureScaling.fit(logits: logits, labels: r.labels, classes: 2)
        XCTAssertEqual(t, r.temperature, accuracy: 1e-6)
        let before = TemperatureScaling.crossEntropy(logits: logits, labels: r.labels, classes: 2)
        let after = TemperatureScaling.crossEntropy(logits: logits, labels: r.labels, classes: 2, temperature: t)
        XCTAssertLessThan(after, before)
        XCTAssertEqual(after, -(0.8 * log(0.8) + 0.2 * log(0.2)), accuracy: 1e-9, "the entropy of an 80/20 coin")
    }

    func testExpectedCalibrationErrorByItsDefinition() throws {
        let r = try reference().ece
        let logits = r.confidences.flatMap { [Float(log($0)), Float(log(1 - $0))] }
        let labels = r.correct.map { UInt8($0 == 1 ? 0 : 1) }
        let (bins, ece) = TemperatureScaling.reliability(logits: logits, labels: labels, classes: 2)
        XCTAssertEqual(ece, r.ece, accuracy: 1e-6)
        XCTAssertEqual(bins.count, 15)
        XCTAssertEqual(bins.map(\.count).reduce(0, +), r.confidences.count)
    }

    func testBootstrapAgainstTheSameDrawsInPython() throws {
        let r = try reference().bootstrap
        let interval = try XCTUnwrap(PairedBootstrap.interval(r.pairs.map { PairedBootstrap.Pair(statnet: $0.statnet, mlpnet: $0.mlpnet) }))
        XCTAssertEqual(interval.low, r.low, accuracy: 1e-12)
        XCTAssertEqual(interval.high, r.high, accuracy: 1e-12)
    }

    func testMcNemarAgainstScipy() throws {
        let r = try reference().mcnemar
        XCTAssertEqual(McNemarTest(statnetOnly: r.statnetOnly, mlpnetOnly: r.mlpnetOnly).pValue, r.p, accuracy: 1e-12)
        XCTAssertEqual(McNemarTest(statnetOnly: 0, mlpnetOnly: 0).pValue, 1)
        let fromPredictions = McNemarTest(statnet: [1, 2, 3, 0], mlpnet: [1, 0, 0, 0], labels: [1, 2, 3, 1])
        XCTAssertEqual([fromPredictions.statnetOnly, fromPredictions.mlpnetOnly], [2, 0])
    }

    /// A curve whose area is known: the loss falls linearly from 2 at step 10 to 1 at step 30,
    /// flat at 2 before: over the first 20 steps the mean is (10 * 2 + 10 * 1.75) / 20.
    func testTrainingCurveArea() {
        let curve = TrainingCurve(points: [.init(step: 10, loss: 2), .init(step: 30, loss: 1)])
        XCTAssertEqual(curve.meanLoss(overFirst: 20) ?? .nan, (20 + 17.5) / 20, accuracy: 1e-12)
        XCTAssertEqual(curve.meanLoss(overFirst: 30) ?? .nan, (20 + 30) / 30, accuracy: 1e-12)
        XCTAssertNil(curve.meanLoss(overFirst: 31), "the log does not reach it")
        let rows = [TrainLogRow(epoch: 1, batch: 20, seen: 1280, trainLoss: 0.9, trainAccuracy: 0.5),
                    TrainLogRow(epoch: 2, batch: 20, seen: 2560, trainLoss: 0.5, trainAccuracy: 0.8)]
        XCTAssertEqual(TrainingCurve(rows: rows, batchesPerEpoch: 20).points.map(\.step), [20, 40])
    }

    /// The plan compiled into the library reads, names a margin for every claim, and marks runs
    /// made before it as post hoc; the commit it names, if any, is a full hash.
    func testThePlan() throws {
        let plan = AnalysisPlan.current
        XCTAssertEqual(Set(plan.claims.map(\.claim)), Set(Claims.Claim.allCases.map(\.rawValue)))
        XCTAssertEqual(plan.margin(of: .accuracy), 0.5)
        let fixed = try XCTUnwrap(plan.fixedDate)
        XCTAssertTrue(plan.preRegistered([fixed.addingTimeInterval(60)]))
        XCTAssertFalse(plan.preRegistered([fixed.addingTimeInterval(60), fixed.addingTimeInterval(-60)]))
        XCTAssertFalse(plan.preRegistered([nil]), "a run that does not record when it started")
        XCTAssertTrue(plan.claims.allSatisfy { !$0.marginJustification.isEmpty })
        if let commit = plan.commit {
            XCTAssertTrue(commit.count == 40 && commit.allSatisfy(\.isHexDigit), "the commit that fixed the plan, as a full hash: \(commit)")
        }
    }
}
