import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import StatNet

/// Parses SVG text as XML; fails the test on an error.
func assertWellFormedSVG(_ svg: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let parser = XMLParser(data: Data(svg.utf8))
    XCTAssertTrue(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "invalid XML")", file: file, line: line)
    XCTAssertTrue(svg.hasPrefix("<svg"), name, file: file, line: line)
}

final class SVGAndReportTests: XCTestCase {
    func testChartAndHeatmapAreWellFormed() {
        let chart = SVGChart.render(title: "A & B <test>; sub", panels: [
            .init(title: "lin", xLabel: "x", yLabel: "y", series: [.init(name: "s", color: "#123456", points: [(1, 2), (2, 3)], band: [(1, 1.5, 2.5), (2, 2.5, 3.5)])]),
            .init(title: "log", xLabel: "x", yLabel: "y", series: [.init(name: "t", color: "#654321", points: [(100, 0.5), (55000, 0.9)], markers: true)], logX: true),
            .init(title: "empty", xLabel: "x", yLabel: "y", series: []),
        ])
        assertWellFormedSVG(chart, "chart")
        XCTAssertTrue(chart.contains("A &amp; B &lt;test&gt;"))
        XCTAssertTrue(chart.contains(">1000<") || chart.contains(">1k<") || chart.contains(">500<"), "log ticks")
        let heat = SVGChart.heatmaps(title: "h", grids: [(title: "a", values: (0..<784).map(Float.init))], side: 28)
        assertWellFormedSVG(heat, "heatmap")
    }

    /// Collects the attributes of every element with a given name.
    final class Elements: NSObject, XMLParserDelegate {
        let name: String
        var found: [[String: String]] = []
        init(_ name: String) { self.name = name }
        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if element == name { found.append(attributes) }
        }
        static func of(_ name: String, in svg: String) -> [[String: String]] {
            let collector = Elements(name), parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = collector
            XCTAssertTrue(parser.parse())
            return collector.found
        }
    }

    /// The heatmap draws runs of equal colour over a dark background; painting its rectangles
    /// back gives every cell the colour of its value (minimum dark, maximum light).
    func testHeatmapRunsPaintEveryCell() {
        let side = 28
        let values: [Float] = (0..<side * side).map { i in [0, 0, 0, 1, 1, 0.5, 0][(i / 3 + i / side) % 7] }
        let expected: [Float: String] = [0: "#440154", 0.5: "#21918c", 1: "#fde725"]
        let svg = SVGChart.heatmaps(title: "runs", grids: [(title: "a", values: values)], side: side)
        let rects = Elements.of("rect", in: svg).dropFirst()  // the first is the page background
        var painted = [String?](repeating: nil, count: side * side)
        for r in rects {
            let x = Int(r["x"] ?? "0")!, y = Int(r["y"] ?? "0")!, w = Int(r["width"]!)!, h = Int(r["height"]!)!
            for yy in y..<(y + h) { for xx in x..<(x + w) { painted[yy * side + xx] = r["fill"] } }
        }
        for i in 0..<side * side { XCTAssertEqual(painted[i], expected[values[i]], "cell \(i)") }
        XCTAssertLessThan(rects.count, side * side / 2, "runs, not one rectangle per cell")
    }

    /// On a log y axis a band whose lower edge (mean - sd) is 0 or negative stays inside the panel.
    func testLogAxisBandStaysInsideThePanel() {
        let svg = SVGChart.render(title: "t", panels: [.init(title: "p", xLabel: "x", yLabel: "y", series: [
            .init(name: "s", color: "#000000", points: [(1, 1), (2, 10), (3, 0.5)], band: [(1, -1, 2), (2, 5, 20), (3, 0, 1)]),
        ], logY: true)])
        let frame = Elements.of("rect", in: svg).first { $0["stroke"] == "#444" }!
        let top = Double(frame["y"]!)!, bottom = top + Double(frame["height"]!)!
        let band = Elements.of("polygon", in: svg)
        XCTAssertEqual(band.count, 1)
        let ys = band[0]["points"]!.split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        XCTAssertEqual(ys.count, 6)
        for y in ys { XCTAssertTrue((top - 0.05)...(bottom + 0.05) ~= y, "\(y) outside \(top)...\(bottom)") }
    }

    /// A long log is drawn with at most one point per pixel column, at the mean of its points.
    func testLongSeriesAreThinnedToThePixel() {
        let points = (0..<5000).map { (x: Double($0), y: $0 % 2 == 0 ? 1.0 : 3.0) }
        let svg = SVGChart.render(title: "t", panels: [.init(title: "p", xLabel: "x", yLabel: "y", series: [.init(name: "s", color: "#000000", points: points)])])
        let lines = Elements.of("polyline", in: svg)
        XCTAssertEqual(lines.count, 1)
        let drawn = lines[0]["points"]!.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertGreaterThan(drawn.count, 200)
        XCTAssertLessThanOrEqual(drawn.count, 420, "no more points than pixels across")
        let xs = drawn.map { $0[0] }
        XCTAssertTrue(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }, "one point per column, left to right")
        // Alternating 1 and 3 average to about 2 in every column (the y axis spans about 200
        // pixels for these two values, so drawing samples would zig-zag over all of it).
        let ys = drawn.dropFirst().dropLast().map { $0[1] }  // the edge columns may hold one point
        XCTAssertLessThan(ys.max()! - ys.min()!, 20, "means, not samples")
    }

    /// A reproduction folder with made-up runs: the report's tables, statistics and figures.
    func testReportFromRunFolders() throws {
        let dir = try temporaryDirectory(self)
        let scale = ExperimentPlan.Scale(epochs: 2, fullTrainSize: 640, sizes: [128], validationSize: 100)
        let plan = ExperimentPlan(presets: [.physics], seeds: .init(count: 3), scale: scale, ablations: true, threads: 1)
        let encoder = JSONEncoder()
        for spec in plan.runs where spec.id != "ablation-statnet-canonical-s2" {
            let run = "\(dir)/runs/\(spec.id)"
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            try encoder.encode(spec).write(to: URL(fileURLWithPath: "\(run)/spec.json"))
            // StatNet is 1 point better than MLPNet, with a little seed noise.
            let gain: Double = spec.config.model == .statnet ? 0.01 : 0
            let noise: Double = 0.001 * Double(spec.config.seed)
            let accuracy: Double = 0.9 + gain + noise
            let result = TrainingResult(testAccuracy: accuracy, testLoss: 1 - accuracy, testLossPaperScaled: (1 - accuracy) / 64, testCount: 10000,
                                        validationAccuracy: accuracy, validationLoss: 1 - accuracy, epochs: 2, trainSeconds: 3,
                                        evaluationSeconds: 1, imagesPerSecond: 1000)
            try encoder.encode(result).write(to: URL(fileURLWithPath: "\(run)/result.json"))
            try "epoch,batch,seen,train_loss,train_acc\n1,10,640,0.5,0.8\n2,10,1280,0.3,0.9\n".write(toFile: "\(run)/train_log.csv", atomically: true, encoding: .utf8)
            try "epoch,train_loss,train_acc,val_loss,val_acc,seconds\n1,0.5,0.8,0.4,0.85,1.0\n2,0.3,0.9,0.3,0.9,1.0\n".write(toFile: "\(run)/epochs.csv", atomically: true, encoding: .utf8)
        }
        let writer = ReportWriter(runs: FinishedRun.load(from: dir), plan: plan.info,
                                  digit: ReportWriter.Digit(pixels: .init(repeating: 100, count: 784), label: 3, index: 0))
        try AtomicFile.writeJSON(plan.info, to: "\(dir)/plan.json")   // what makes the folder a reproduction folder
        try writer.write(to: dir)
        let report = try String(contentsOfFile: "\(dir)/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("Runs finished: \(plan.runs.count - 1) of \(plan.runs.count) planned"), report)
        XCTAssertTrue(report.contains("| StatNet | 3 | 91.10 ± 0.10% |"), report)
        XCTAssertTrue(report.contains("StatNet − MLPNet: accuracy +1.00 pp ["), report)
        XCTAssertTrue(report.contains("| statnet-canonical | 2 |"), "the missing seed shows as n = 2: \(report)")
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/results.json"))) as! [String: Any]
        XCTAssertEqual((results["runs"] as? [Any])?.count, plan.runs.count - 1)
        let firstRun = try XCTUnwrap((results["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual(firstRun["validationAccuracy"] as? [Double], [0.85, 0.9], "per epoch, from epochs.csv")
        // The claims: StatNet is 1 point better in test accuracy at every seed (noise shared) -> better by
        // more than the 0.5-point margin;
        // no little-data row without a 1,000-image size.
        let claims = try XCTUnwrap(results["claims"] as? [[String: Any]])
        XCTAssertEqual(claims.map { $0["claim"] as? String }, ["convergence", "accuracy", "loss"])
        let accuracyClaim = try XCTUnwrap(claims.first { $0["claim"] as? String == "accuracy" })
        XCTAssertEqual(accuracyClaim["mean"] as? Double ?? .nan, 1.0, accuracy: 1e-9)
        XCTAssertEqual(accuracyClaim["verdict"] as? String, "better-by-more-than-margin")
        XCTAssertEqual(accuracyClaim["preRegistered"] as? Bool, false, "made-up runs record no creation time")
        XCTAssertEqual(accuracyClaim["unit"] as? String, "pp")
        for key in ["claim", "preset", "role", "measure", "unit", "n", "mean", "low", "high", "margin", "verdict", "verdictHolm", "exactP", "preRegistered"] {
            XCTAssertNotNil(accuracyClaim[key], key)
        }
        XCTAssertTrue(report.contains("## Claims"), report)
        XCTAssertTrue(report.contains("### What this says"), report)
        XCTAssertTrue(report.contains("**Post hoc**") && report.contains("analysis plan (version \(AnalysisPlan.current.version)"), report)
        XCTAssertTrue(report.contains("*Not available in these runs:* per-image outputs"), "old runs: said, not made up")
        XCTAssertLessThan(report.range(of: "## Claims")!.lowerBound, report.range(of: "## Table 1")!.lowerBound, "the claims open the report")
        let figures = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/figures").sorted()
        XCTAssertEqual(figures, ["features-boltzmann.svg", "features-canonical.svg", "features-reference.svg", "fig-gap.svg", "fig6-physics.svg", "fig7-physics.svg"])
        for f in figures { assertWellFormedSVG(try String(contentsOfFile: "\(dir)/figures/\(f)", encoding: .utf8), f) }
    }
}
