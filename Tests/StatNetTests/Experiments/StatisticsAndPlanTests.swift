import XCTest
import StatNet

final class StatisticsAndPlanTests: XCTestCase {
    func testSummaryAndPairedInterval() {
        let s = Summary([1, 2, 3, 4])
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.std!, (5.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertNil(Summary([7]).std)
        // d = [1, 2, 3]: mean 2, sd 1, t(0.975, 2) = 4.303 -> 2 +- 4.303 / sqrt(3)
        let d = PairedDifference([11, 12, 13], [10, 10, 10])
        XCTAssertEqual(d.mean, 2)
        XCTAssertEqual(d.low!, 2 - 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(d.high!, 2 + 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertFalse(d.excludesZero, "[-0.48, 4.48]")
        XCTAssertTrue(PairedDifference([2.1, 1.9, 2.0], [0, 0, 0]).excludesZero)
        XCTAssertFalse(PairedDifference([1, -1], [0, 0]).excludesZero)
        XCTAssertNil(PairedDifference([1], [0]).low)
    }

    func testTQuantiles() {
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 1), 12.706)
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 30), 2.042)
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 40), 2.021, accuracy: 0.002)
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 120), 1.980, accuracy: 0.002)
    }

    func testPlanAndShards() throws {
        let plan = ExperimentPlan(presets: [.paper, .physics], seeds: .init(count: 3), scale: .paper, ablations: true, threads: 2)
        // 3 seeds x (2 presets x 7 sizes x 2 models + 8 ablations)
        XCTAssertEqual(plan.runs.count, 3 * (2 * 7 * 2 + 8))
        XCTAssertEqual(Set(plan.runs.map(\.id)).count, plan.runs.count, "ids are unique")
        let run = plan.runs.first { $0.id == "physics-statnet-n55000-s1" }
        XCTAssertEqual(run?.config.features, .boltzmann)
        XCTAssertEqual(run?.config.validationSize, 5000)
        XCTAssertEqual(plan.runs.first { $0.id == "ablation-statnet-entropy-only-s0" }?.config.branchChannels, [2, 2, 2, 2])
        XCTAssertEqual(plan.runs.first { $0.id == "ablation-mlpnet-unnormalised-s0" }?.config.normalisation, NormalisationMode.none)
        let shards = try (1...4).map { plan.runs(of: try Shard(index: $0, count: 4)) }
        XCTAssertEqual(shards.map(\.count).reduce(0, +), plan.runs.count)
        XCTAssertEqual(Set(shards.flatMap { $0.map(\.id) }), Set(plan.runs.map(\.id)), "the shards partition the plan")
    }
}
