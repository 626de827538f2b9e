import Foundation
import XCTest
import StatNet

/// The reproduction runner called as a library, without the binary.
final class ExperimentRunnerTests: XCTestCase {
    /// Two tiny runs (StatNet and MLPNet on 128 images, one epoch).
    func tinyPlan(epochs: Int = 1) -> ExperimentPlan {
        let scale = ExperimentPlan.Scale(epochs: epochs, fullTrainSize: 128, sizes: [], validationSize: 100)
        return ExperimentPlan(presets: [.physics], seeds: .init(count: 1), scale: scale, ablations: false, threads: 1)
    }

    final class Events: ExperimentObserver {
        var lines: [String] = []
        func handle(_ event: ExperimentEvent) {
            switch event {
            case let .skipped(_, _, spec): lines.append("skipped \(spec.id)")
            case let .runFinished(_, _, spec, _): lines.append("trained \(spec.id)")
            case let .runFailed(_, _, spec, error): lines.append("failed \(spec.id): \(error)")
            default: break
            }
        }
    }

    func testShardThenWholePlanSkipsWhatIsFinished() throws {
        let mnist = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/repro"
        let plan = tinyPlan()
        XCTAssertEqual(plan.runs.map(\.id), ["physics-statnet-n128-s0", "physics-mlpnet-n128-s0"])

        let first = Events()
        let shard = try ExperimentRunner(plan: plan, directory: out, shard: Shard(index: 1, count: 2), observers: [first])
            .run(data: { mnist })
        XCTAssertEqual(shard.trained, ["physics-statnet-n128-s0"])
        XCTAssertEqual(first.lines, ["trained physics-statnet-n128-s0"])

        // The whole plan again: the finished run is skipped, the other trained.
        let second = Events()
        var loads = 0
        let whole = try ExperimentRunner(plan: plan, directory: out, observers: [second]).run(data: { loads += 1; return mnist })
        XCTAssertEqual(whole.skipped, ["physics-statnet-n128-s0"])
        XCTAssertEqual(whole.trained, ["physics-mlpnet-n128-s0"])
        XCTAssertEqual(loads, 1)
        XCTAssertEqual(second.lines, ["skipped physics-statnet-n128-s0", "trained physics-mlpnet-n128-s0"])
        XCTAssertTrue(whole.failed.isEmpty)

        // Nothing left: MNIST is not even loaded.
        let third = try ExperimentRunner(plan: plan, directory: out).run(data: { XCTFail("no run needs the data"); return mnist })
        XCTAssertEqual(third.skipped.count, 2)
        XCTAssertEqual(FinishedRun.load(from: out).count, 2)
    }

    /// A stop request before a run leaves it untouched and says so; the next call trains it.
    func testStopRequestBetweenRuns() throws {
        let mnist = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/repro"
        let runner = ExperimentRunner(plan: tinyPlan(), directory: out)
        var asked = 0
        runner.shouldStop = { asked += 1; return asked > 1 && FinishedRun.load(from: out).count == 1 }
        let stopped = try runner.run(data: { mnist })
        XCTAssertEqual(stopped.trained.count, 1)
        XCTAssertNotNil(stopped.stoppedBy)
        let resumed = try ExperimentRunner(plan: tinyPlan(), directory: out).run(data: { mnist })
        XCTAssertEqual(resumed.skipped.count, 1)
        XCTAssertEqual(resumed.trained.count, 1)
    }

    /// A plan with other settings (here: epochs) in a folder is refused before any training.
    func testOtherPlanIsRefusedBeforeTraining() throws {
        let mnist = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/repro"
        try ExperimentRunner(plan: tinyPlan(), directory: out, shard: Shard(index: 1, count: 2)).run(data: { mnist })
        XCTAssertThrowsError(try ExperimentRunner(plan: tinyPlan(epochs: 2), directory: out).run(data: { XCTFail("nothing trains"); return mnist })) { error in
            guard case ReproductionError.otherPlan(_, let difference) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(difference.contains("epochs 1 here, 2 asked"), difference)
            XCTAssertTrue("\(error)".contains("choose another --out") || "\(error)".contains("Choose another --out"), "\(error)")
        }
        // A folder of someone else's files is refused too.
        let foreign = try temporaryDirectory(self)
        XCTAssertTrue(FileManager.default.createFile(atPath: foreign + "/thesis.tex", contents: Data("x".utf8)))
        XCTAssertThrowsError(try ExperimentRunner(plan: tinyPlan(), directory: foreign).run(data: { mnist })) { error in
            guard case ReproductionError.notAReproductionFolder(_, let examples) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(examples, ["thesis.tex"])
        }
    }
}
