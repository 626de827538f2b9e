import Foundation

/// Builds a reproduction's report from whatever runs are finished: `results.json` (every
/// number, `ReportResults`), `report.md` (`ReportMarkdown`) and `figures/*.svg`
/// (`ReportFigures`), each written atomically. Runs whose settings differ from the plan's
/// (another number of epochs, say) are left out, so a report never mixes settings.
public struct ReportWriter {
    /// A test digit whose feature channels are drawn as heatmaps.
    public struct Digit: Sendable {
        public let pixels: [UInt8]
        public let label: Int
        public let index: Int
        public init(pixels: [UInt8], label: Int, index: Int) {
            self.pixels = pixels
            self.label = label
            self.index = index
        }
    }

    public let runs: [FinishedRun]
    public let plan: PlanInfo?
    public let digit: Digit?
    /// Run folders that look finished but whose files cannot be used: reported, not dropped.
    public let damaged: [FinishedRun.Damaged]

    public init(runs: [FinishedRun], plan: PlanInfo?, digit: Digit?, damaged: [FinishedRun.Damaged] = []) {
        self.runs = plan.map { p in runs.filter { Self.matches($0.spec, p) } } ?? runs
        self.plan = plan
        self.digit = digit
        self.damaged = damaged
    }

    /// The report of the reproduction folder `directory`: its finished runs, its plan.json,
    /// and MNIST's test digit 0 for the heatmaps when `mnist` is given.
    public init(directory: String, mnist: MNIST?) {
        let plan = try? JSONFormat.read(PlanInfo.self, at: Path.join(directory, ReproductionFiles.plan))
        let scan = FinishedRun.scan(directory)
        self.init(runs: scan.runs, plan: plan,
                  digit: mnist.map { Digit(pixels: Array($0.test.image(0)), label: Int($0.test.labels[0]), index: 0) }, damaged: scan.damaged)
    }

    /// The merged report of several folders of one plan (see `ReportMerge`).
    public init(merging merge: ReportMerge, mnist: MNIST?) {
        self.init(runs: merge.runs, plan: merge.plan,
                  digit: mnist.map { Digit(pixels: Array($0.test.image(0)), label: Int($0.test.labels[0]), index: 0) }, damaged: merge.damaged)
    }

    /// Whether a run belongs under `plan`'s settings.
    static func matches(_ spec: RunSpec, _ plan: PlanInfo) -> Bool {
        spec.config.epochs == plan.scale.epochs && spec.config.validationSize == plan.scale.validationSize
            && spec.config.trainSize <= plan.scale.fullTrainSize
    }

    public func results() -> ReportResults { ReportResults(runs: runs, plan: plan) }

    public func markdown(_ results: ReportResults) -> String {
        ReportMarkdown(results: results, plan: plan, hasHeatmaps: digit != nil, damaged: damaged).render()
    }

    public func figures(_ results: ReportResults? = nil) -> [String: String] {
        ReportFigures(set: RunSet(runs), plan: plan, digit: digit, calibration: (results ?? self.results()).claimDetails.calibration).render()
    }

    /// Writes report.md, results.json and figures/*.svg into `directory`, each atomically:
    /// a folder that is missing, empty, or one of this tool's reproduction or report folders
    /// (`ReproductionFiles.requireOurs`); any other is refused before anything is written.
    /// Temporary files a killed report left in it are removed first.
    public func write(to directory: String) throws {
        try ReproductionFiles.requireOurs(directory, alsoOurs: Self.holdsResults)
        let figuresDirectory = Path.join(directory, ReproductionFiles.figures)
        for folder in [directory, figuresDirectory] {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []) where name.hasSuffix(AtomicFile.partialSuffix) {
                AtomicFile.removeAbandonedPartials(of: Path.join(folder, Self.partialTarget(name)))
            }
        }
        let r = results()
        try AtomicFile.writeJSON(r, to: Path.join(directory, ReproductionFiles.results))
        for (name, svg) in figures(r) { try AtomicFile.write(svg, to: Path.join(figuresDirectory, name)) }
        try AtomicFile.write(markdown(r) + "\n", to: Path.join(directory, ReproductionFiles.report))
    }

    /// The file a temporary `.<name>.<pid>.partial` was written for (`<name>`).
    static func partialTarget(_ temporary: String) -> String {
        var name = temporary.dropFirst().dropLast(AtomicFile.partialSuffix.count)
        if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
        return String(name)
    }

    /// Whether `folder` has a `results.json` this tool wrote (a report written with --out).
    /// (By its top-level keys, so that a report written by an earlier version, whose numbers may
    /// read differently, is still recognised as ours.)
    static func holdsResults(_ folder: String) -> Bool {
        guard let bytes = try? RegularFile.read(Path.join(folder, ReproductionFiles.results), maximumBytes: JSONFormat.maximumFileBytes),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return false }
        return ["runsFinished", "runs", "comparisons", "claims"].allSatisfy { object[$0] != nil }
    }
}
