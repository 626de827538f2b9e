import Foundation
import XCTest
import StatNet

final class ReproduceCLITests: XCTestCase {
    /// A tiny reproduction: finished runs are skipped on a rerun, and two shards give the
    /// same numbers as one run of everything.
    func testQuickReproductionResumeAndShards() throws {
        _ = try SharedMNIST.get()
        let data = TestPaths.mnistDirectory
        let base = try temporaryDirectory(self)
        let args = ["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1"]
        let whole = try CLI.run(args + ["--out", "\(base)/whole"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let report = try String(contentsOfFile: "\(base)/whole/report.md", encoding: .utf8)
        XCTAssertTrue(report.hasPrefix("> **Quick run**"), "the first line says it is a quick run")
        XCTAssertTrue(report.contains("Runs finished: 4 of 4 planned"), report)
        for f in try FileManager.default.contentsOfDirectory(atPath: "\(base)/whole/figures") {
            assertWellFormedSVG(try String(contentsOfFile: "\(base)/whole/figures/\(f)", encoding: .utf8), f)
        }
        let again = try CLI.run(args + ["--out", "\(base)/whole"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stderr.components(separatedBy: "finished, skipped").count - 1, 4, again.stderr)

        for shard in ["1/2", "2/2"] {
            let r = try CLI.run(args + ["--out", "\(base)/sharded", "--shard", shard])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let rebuilt = try CLI.run(["report", "--data", data, "\(base)/sharded"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        func accuracies(_ dir: String) throws -> [String: Double] {
            let r = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/results.json"))) as! [String: Any]
            return Dictionary(uniqueKeysWithValues: (r["runs"] as! [[String: Any]]).map { ($0["id"] as! String, $0["testAccuracy"] as! Double) })
        }
        XCTAssertEqual(try accuracies("\(base)/whole"), try accuracies("\(base)/sharded"))
        XCTAssertEqual(try accuracies("\(base)/whole").count, 4)
        XCTAssertTrue(try String(contentsOfFile: "\(base)/sharded/report.md", encoding: .utf8).contains("figures/features-boltzmann.svg"))

        // Without MNIST the report is still built, says why it has no heatmaps, and lists none.
        try FileManager.default.createDirectory(atPath: "\(base)/no-data", withIntermediateDirectories: true)
        let withoutData = try CLI.run(["report", "--data", "\(base)/no-data", "\(base)/sharded"])
        XCTAssertEqual(withoutData.status, 0, withoutData.stderr)
        XCTAssertTrue(withoutData.stderr.contains("no feature heatmaps"), withoutData.stderr)
        XCTAssertFalse(try String(contentsOfFile: "\(base)/sharded/report.md", encoding: .utf8).contains("figures/features-"))

        let bad = try CLI.run(["reproduce", "--shard", "3/2"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--shard must be K/N"), bad.stderr)
        let notAFolder = try CLI.run(["report", base])
        XCTAssertNotEqual(notAFolder.status, 0)
        XCTAssertTrue(notAFolder.stderr.contains("not a reproduction folder"), notAFolder.stderr)
    }
}
