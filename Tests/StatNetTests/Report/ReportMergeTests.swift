import Foundation
import XCTest
import StatNet

/// `statnet report A B`: the folders of a job array that had no shared file system, merged.
final class ReportMergeTests: XCTestCase {
    /// A reproduction folder with made-up finished runs of `plan` (StatNet +1 point).
    func folder(_ plan: ExperimentPlan, ids: Set<String>, accuracyOffset: Double = 0) throws -> String {
        let dir = try temporaryDirectory(self)
        try AtomicFile.writeJSON(plan.info, to: "\(dir)/\(ReproductionFiles.plan)")
        for spec in plan.runs where ids.contains(spec.id) {
            let run = "\(dir)/runs/\(spec.id)"
            try AtomicFile.writeJSON(spec, to: "\(run)/spec.json")
            let accuracy = 0.9 + (spec.config.model == .statnet ? 0.01 : 0) + 0.001 * Double(spec.config.seed) + accuracyOffset
            try AtomicFile.writeJSON(TrainingResult(testAccuracy: accuracy, testLoss: 1 - accuracy, testLossPaperScaled: 0.01, testCount: 10000,
                                                    validationAccuracy: accuracy, validationLoss: 0.1, epochs: spec.config.epochs,
                                                    trainSeconds: 1, evaluationSeconds: 1, imagesPerSecond: 1), to: "\(run)/result.json")
        }
        return dir
    }

    func plan(epochs: Int = 2) -> ExperimentPlan {
        ExperimentPlan(presets: [.physics], seeds: .init(count: 2), scale: .init(epochs: epochs, fullTrainSize: 640, sizes: [], validationSize: 100),
                       ablations: false, threads: 1)
    }

    func testShardsMergeAndIdenticalDuplicatesCountOnce() throws {
        let ids = plan().runs.map(\.id)
        let a = try folder(plan(), ids: Set(ids.prefix(3)))
        let b = try folder(plan(), ids: Set(ids.suffix(2)))   // one run in both
        let merge = try ReportMerge(directories: [a, b])
        XCTAssertEqual(merge.runs.map(\.spec.id), ids.sorted())
        XCTAssertEqual(merge.duplicates, [ids[2]])
        let out = try temporaryDirectory(self)
        let r = try CLI.run(["report", a, b, "--out", out, "--data", "/nonexistent"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("found in more than one folder with the same results, counted once"), r.stderr)
        XCTAssertTrue(try String(contentsOfFile: "\(out)/report.md", encoding: .utf8).contains("Runs finished: 4 of 4 planned"))
    }

    func testOtherSettingsAndConflictingDuplicatesAreRefused() throws {
        let ids = Set(plan().runs.map(\.id))
        let a = try folder(plan(), ids: ids)
        XCTAssertThrowsError(try ReportMerge(directories: [a, try folder(plan(epochs: 3), ids: Set(plan(epochs: 3).runs.map(\.id)))])) { error in
            guard case ReportMerge.MergeError.otherSettings(_, let difference) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(difference.contains("epochs 2 here, 3 asked"), difference)
        }
        XCTAssertThrowsError(try ReportMerge(directories: [a, try folder(plan(), ids: ids, accuracyOffset: 0.05)])) { error in
            guard case ReportMerge.MergeError.conflictingDuplicate = error else { return XCTFail("\(error)") }
        }
        let r = try CLI.run(["report", a, "/nonexistent-folder"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("/nonexistent-folder has no runs/ folder"), r.stderr)
    }
}
