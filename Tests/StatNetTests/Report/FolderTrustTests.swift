import Foundation
import XCTest
@testable import StatNet

/// What is read back from a folder is checked against the folder: run ids are names, results
/// hold possible numbers, a damaged run file is reported with its path, a folder is ours only
/// by its plan, and plans given to one folder join.
final class FolderTrustTests: XCTestCase {
    func spec(_ id: String) -> RunSpec {
        RunSpec(id: id, experiment: .comparison, label: "statnet", config: TrainingConfig(model: .statnet, preset: .physics))
    }

    func testRunIDsAreNamesNeverPaths() throws {
        for good in ["physics-statnet-n100-s0", "a.b_c-1", "ablation-statnet-energy+level-s0"] { XCTAssertTrue(RunSpec.isValidID(good), good) }
        for bad in ["", ".", "..", "../../../runs/m1", "a/b", "/etc", "a b", String(repeating: "x", count: 201), "é"] {
            XCTAssertFalse(RunSpec.isValidID(bad), bad)
            var json = String(decoding: try JSONFormat.encode(spec("placeholder")), as: UTF8.self)
            json = json.replacingOccurrences(of: "\"placeholder\"", with: String(decoding: try JSONEncoder().encode(bad), as: UTF8.self))
            XCTAssertThrowsError(try JSONFormat.decode(RunSpec.self, from: Data(json.utf8)), bad) {
                XCTAssertTrue(JSONFormat.describe($0).contains("not a plain folder name"), JSONFormat.describe($0))
            }
        }
    }

    func result(accuracy: Double = 0.9, loss: Double = 0.3) -> TrainingResult {
        TrainingResult(testAccuracy: accuracy, testLoss: loss, testLossPaperScaled: loss / 64, testCount: 10_000, validationAccuracy: 0.9,
                       validationLoss: 0.3, epochs: 20, trainSeconds: 10, evaluationSeconds: 1, imagesPerSecond: 5000)
    }

    func testImpossibleResultsAreRefused() throws {
        XCTAssertEqual(try JSONFormat.decode(TrainingResult.self, from: try JSONFormat.encode(result())), result())
        for (bad, words) in [(result(accuracy: 5.0), "test_acc 5.0 is outside [0, 1]"), (result(accuracy: -0.1), "test_acc -0.1"),
                             (result(loss: -1), "test_loss -1.0"), (result(loss: .nan), "test_loss nan"), (result(loss: .infinity), "test_loss inf")] {
            XCTAssertThrowsError(try JSONFormat.decode(TrainingResult.self, from: try JSONFormat.encode(bad))) {
                XCTAssertTrue(JSONFormat.describe($0).contains(words), JSONFormat.describe($0))
            }
        }
    }

    /// A finished-looking run with a truncated spec, a spec naming another folder, or a result
    /// of 500% is reported by its path; an unfinished one is simply not finished.
    func testDamagedRunsAreReportedWithTheirPath() throws {
        let dir = try temporaryDirectory(self)
        func write(_ id: String, spec specText: String?, result resultText: String?) throws {
            let folder = "\(dir)/runs/\(id)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let specText { try Data(specText.utf8).write(to: URL(fileURLWithPath: "\(folder)/spec.json")) }
            if let resultText { try Data(resultText.utf8).write(to: URL(fileURLWithPath: "\(folder)/result.json")) }
        }
        var good = spec("good")
        good = RunSpec(id: "good", experiment: .comparison, label: "statnet", config: { var c = good.config; c.epochs = 20; return c }())
        let goodSpec = String(decoding: try JSONFormat.encode(good), as: UTF8.self), goodResult = String(decoding: try JSONFormat.encode(result()), as: UTF8.self)
        try write("good", spec: goodSpec, result: goodResult)
        try write("truncated", spec: String(goodSpec.prefix(40)), result: goodResult)
        try write("renamed", spec: goodSpec, result: goodResult)
        try write("percent", spec: goodSpec.replacingOccurrences(of: "\"good\"", with: "\"percent\""),
                  result: goodResult.replacingOccurrences(of: "\"test_acc\" : 0.9", with: "\"test_acc\" : 5.0"))
        try write("running", spec: goodSpec.replacingOccurrences(of: "\"good\"", with: "\"running\""), result: nil)
        try write("nospec", spec: nil, result: goodResult)
        try write("fifo", spec: goodSpec.replacingOccurrences(of: "\"good\"", with: "\"fifo\""), result: nil)
        XCTAssertEqual(mkfifo("\(dir)/runs/fifo/result.json", 0o644), 0, "a FIFO is refused, never waited on")
        let scan = FinishedRun.scan(dir)
        XCTAssertEqual(scan.runs.map(\.spec.id), ["good"])
        XCTAssertEqual(scan.runs.first?.folder, "\(dir)/runs/good")
        let damaged = Dictionary(uniqueKeysWithValues: scan.damaged.map { ($0.path, $0.reason) })
        XCTAssertEqual(Set(damaged.keys), ["\(dir)/runs/truncated/spec.json", "\(dir)/runs/renamed/spec.json", "\(dir)/runs/percent/result.json",
                                           "\(dir)/runs/nospec/spec.json", "\(dir)/runs/fifo/result.json"])
        XCTAssertTrue(damaged["\(dir)/runs/fifo/result.json"]?.contains("a FIFO") ?? false, "\(damaged)")
        XCTAssertTrue(damaged["\(dir)/runs/truncated/spec.json"]?.contains("not valid JSON") ?? false, "\(damaged)")
        XCTAssertTrue(damaged["\(dir)/runs/renamed/spec.json"]?.contains("names run good") ?? false, "\(damaged)")
        XCTAssertTrue(damaged["\(dir)/runs/percent/result.json"]?.contains("test_acc 5.0 is outside [0, 1]") ?? false, "\(damaged)")
        let writer = ReportWriter(directory: dir, mnist: nil)
        XCTAssertEqual(writer.damaged.count, 5)
        XCTAssertTrue(writer.markdown(writer.results()).contains("`\(dir)/runs/truncated/spec.json`"), "the report lists them")
    }

    /// A folder is a reproduction folder by its plan.json, not by a `runs/` subfolder; the
    /// report refuses to write anywhere else.
    func testOnlyOurFoldersAreWritten() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertNoThrow(try ReproductionFiles.requireOurs("\(dir)/missing"))
        XCTAssertNoThrow(try ReproductionFiles.requireOurs(dir), "empty")
        try FileManager.default.createDirectory(atPath: "\(dir)/runs", withIntermediateDirectories: true)
        XCTAssertThrowsError(try ReproductionFiles.requireOurs(dir), "only a runs/ folder")
        XCTAssertThrowsError(try ReportWriter(runs: [], plan: nil, digit: nil).write(to: dir)) {
            XCTAssertTrue("\($0)".contains("is not a reproduction folder"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/report.md"), "nothing written")
        let plan = ExperimentPlan(presets: [.physics], seeds: .init(count: 1), scale: .quick, ablations: false, threads: 1)
        try AtomicFile.writeJSON(plan.info, to: "\(dir)/plan.json")
        XCTAssertNoThrow(try ReproductionFiles.requireOurs(dir))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: "\(dir)/notes.txt"))
        XCTAssertThrowsError(try ReproductionFiles.requireOurs(dir), "a file that is not a reproduction's")
        let reportOnly = try temporaryDirectory(self)
        try ReportWriter(runs: [], plan: nil, digit: nil).write(to: reportOnly)
        XCTAssertNoThrow(try ReportWriter(runs: [], plan: nil, digit: nil).write(to: reportOnly), "a report folder of ours is rewritten")
    }

    /// Two plans given to one folder (or merged) are one plan: a physics-only and a paper-only
    /// quick plan are the both-presets plan, not "8 of 4 planned".
    func testPlansJoin() {
        func plan(_ presets: [Preset], seeds: Int = 1, sizes: [Int]? = nil) -> PlanInfo {
            var scale = ExperimentPlan.Scale.quick
            if let sizes { scale.sizes = sizes }
            return ExperimentPlan(presets: presets, seeds: .init(count: seeds), scale: scale, ablations: false, threads: 1).info
        }
        let both = plan([.paper, .physics])
        XCTAssertEqual(plan([.physics]).union(plan([.paper])), both)
        XCTAssertEqual(plan([.physics]).union(plan([.paper])).plannedRuns, 2 * plan([.physics]).plannedRuns)
        XCTAssertEqual(plan([.physics], seeds: 3).union(plan([.physics])).seeds.count, 3)
        XCTAssertEqual(plan([.physics], sizes: [1000]).union(plan([.physics], sizes: [100])).scale.sizes, [1000, 100])
    }
}
