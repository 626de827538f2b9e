import XCTest
import StatNet

final class ExperimentPlanTests: XCTestCase {
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
