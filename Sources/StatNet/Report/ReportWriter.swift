import Foundation

/// Builds `report.md`, `results.json` and `figures/*.svg` from whatever runs of a
/// reproduction are finished: the paper's tables beside ours, with means and standard
/// deviations over seeds and StatNet-minus-MLPNet differences with paired 95% intervals.
public struct ReportWriter {
    /// What `reproduce` records about the plan (plan.json), so `report` can say what is missing.
    public struct PlanInfo: Codable, Equatable, Sendable {
        public var quick: Bool
        public var scale: ExperimentPlan.Scale
        public var seeds: [UInt64]
        public var presets: [Preset]
        public var ablations: Bool
        public var plannedRuns: Int
        public init(quick: Bool, scale: ExperimentPlan.Scale, seeds: [UInt64], presets: [Preset], ablations: Bool, plannedRuns: Int) {
            self.quick = quick
            self.scale = scale
            self.seeds = seeds
            self.presets = presets
            self.ablations = ablations
            self.plannedRuns = plannedRuns
        }
    }

    public static let planFile = "plan.json"

    public let records: [RunRecord]
    public let plan: PlanInfo?
    /// A test digit whose feature channels are drawn as heatmaps (when MNIST is at hand).
    public let digit: (pixels: [UInt8], label: Int, index: Int)?

    public init(records: [RunRecord], plan: PlanInfo?, digit: (pixels: [UInt8], label: Int, index: Int)?) {
        self.records = records
        self.plan = plan
        self.digit = digit
    }

    var finished: [RunRecord] { records.filter { $0.result != nil } }

    /// The comparison runs' largest training size: experiment 1.
    var fullSize: Int? { finished.filter { $0.spec.experiment == .comparison }.map(\.spec.config.trainSize).max() }

    func comparison(_ preset: Preset, _ model: ModelKind, size: Int) -> [RunRecord] {
        finished.filter { $0.spec.experiment == .comparison && $0.spec.config.preset == preset && $0.spec.config.model == model && $0.spec.config.trainSize == size }
            .sorted { $0.spec.config.seed < $1.spec.config.seed }
    }

    // MARK: results.json

    public struct ResultsFile: Codable {
        public struct Run: Codable {
            let id: String, experiment: String, label: String, preset: String, model: String, features: String, normalisation: String
            let branchChannels: [Int]?, trainSize: Int, seed: UInt64, epochs: Int
            let testAccuracy: Double, testLoss: Double, testLossPaperScaled: Double, trainSeconds: Double
        }
        public struct Cell: Codable {
            let accuracy: Summary, loss: Summary, lossPaperScaled: Summary, trainSeconds: Summary
            let seeds: [UInt64]
            let paper: PaperNumbers.Entry?
        }
        public struct Comparison: Codable {
            let preset: String, trainSize: Int
            let statnet: Cell?, mlpnet: Cell?
            /// StatNet minus MLPNet, paired by seed.
            let accuracyDifference: PairedDifference?, lossDifference: PairedDifference?
        }
        public struct Ablation: Codable {
            let label: String, cell: Cell
            let accuracyVsStatNet: PairedDifference?, accuracyVsMLPNet: PairedDifference?
        }
        let quick: Bool
        let plan: PlanInfo?
        let machine: [String: String]
        let runsFinished: Int
        let runs: [Run]
        let comparisons: [Comparison]
        let ablations: [Ablation]
    }

    func cell(_ runs: [RunRecord], paper: PaperNumbers.Entry?) -> ResultsFile.Cell? {
        guard !runs.isEmpty else { return nil }
        let r = runs.map { $0.result! }
        return ResultsFile.Cell(accuracy: Summary(r.map(\.testAccuracy)), loss: Summary(r.map(\.testLoss)),
                                lossPaperScaled: Summary(r.map(\.testLossPaperScaled)), trainSeconds: Summary(r.map(\.trainSeconds)),
                                seeds: runs.map(\.spec.config.seed), paper: paper)
    }

    /// Differences a - b over the seeds both have.
    func paired(_ a: [RunRecord], _ b: [RunRecord], _ value: (TrainingResult) -> Double) -> PairedDifference? {
        let bySeed = Dictionary(b.map { ($0.spec.config.seed, $0) }, uniquingKeysWith: { x, _ in x })
        let pairs = a.compactMap { r in bySeed[r.spec.config.seed].map { (value(r.result!), value($0.result!)) } }
        guard !pairs.isEmpty else { return nil }
        return PairedDifference(pairs.map(\.0), pairs.map(\.1))
    }

    var sizes: [Int] { Array(Set(finished.filter { $0.spec.experiment == .comparison }.map(\.spec.config.trainSize))).sorted() }
    var presets: [Preset] { Preset.allCases.filter { p in finished.contains { $0.spec.config.preset == p && $0.spec.experiment == .comparison } } }

    public func results() -> ResultsFile {
        var comparisons: [ResultsFile.Comparison] = []
        for preset in presets {
            for size in sizes {
                let s = comparison(preset, .statnet, size: size), m = comparison(preset, .mlpnet, size: size)
                if s.isEmpty && m.isEmpty { continue }
                let paper = size == fullSize && plan?.quick != true ? PaperNumbers.results[55_000] : (plan?.quick == true ? nil : PaperNumbers.results[size])
                comparisons.append(.init(preset: preset.rawValue, trainSize: size,
                                         statnet: cell(s, paper: paper?[.statnet]), mlpnet: cell(m, paper: paper?[.mlpnet]),
                                         accuracyDifference: paired(s, m, \.testAccuracy), lossDifference: paired(s, m, \.testLoss)))
            }
        }
        var ablations: [ResultsFile.Ablation] = []
        if let full = fullSize {
            let s = comparison(.physics, .statnet, size: full), m = comparison(.physics, .mlpnet, size: full)
            for variant in ExperimentPlan.ablationVariants {
                let runs = finished.filter { $0.spec.experiment == .ablation && $0.spec.label == variant.label }.sorted { $0.spec.config.seed < $1.spec.config.seed }
                guard let c = cell(runs, paper: nil) else { continue }
                ablations.append(.init(label: variant.label, cell: c, accuracyVsStatNet: paired(runs, s, \.testAccuracy),
                                       accuracyVsMLPNet: paired(runs, m, \.testAccuracy)))
            }
        }
        let runs = finished.map { r in
            ResultsFile.Run(id: r.spec.id, experiment: r.spec.experiment.rawValue, label: r.spec.label, preset: r.spec.config.preset.rawValue,
                            model: r.spec.config.model.rawValue, features: r.spec.config.features.rawValue,
                            normalisation: r.spec.config.normalisation.rawValue, branchChannels: r.spec.config.branchChannels,
                            trainSize: r.spec.config.trainSize, seed: r.spec.config.seed, epochs: r.spec.config.epochs,
                            testAccuracy: r.result!.testAccuracy, testLoss: r.result!.testLoss,
                            testLossPaperScaled: r.result!.testLossPaperScaled, trainSeconds: r.result!.trainSeconds)
        }
        return ResultsFile(quick: plan?.quick ?? false, plan: plan, machine: machine, runsFinished: finished.count, runs: runs,
                           comparisons: comparisons, ablations: ablations)
    }

    var machine: [String: String] {
        let info = finished.compactMap(\.info).first
        return ["cores": String(info?.cores ?? ProcessInfo.processInfo.activeProcessorCount),
                "threads": String(finished.first?.spec.config.threads ?? 0),
                "blas_core": info?.blasCore ?? BLAS.coreName]
    }

    // MARK: report.md

    static func pct(_ s: Summary) -> String {
        s.std.map { String(format: "%.2f ± %.2f%%", 100 * s.mean, 100 * $0) } ?? String(format: "%.2f%%", 100 * s.mean)
    }
    static func num(_ s: Summary, _ digits: Int = 4) -> String {
        s.std.map { String(format: "%.\(digits)f ± %.\(digits)f", s.mean, $0) } ?? String(format: "%.\(digits)f", s.mean)
    }
    static func ci(_ d: PairedDifference?, percent: Bool) -> String {
        guard let d else { return "–" }
        let k = percent ? 100.0 : 1.0, unit = percent ? " pp" : ""
        let f = percent ? "%+.2f" : "%+.4f"
        guard let lo = d.low, let hi = d.high else { return String(format: f, k * d.mean) + unit + " (n=1, no interval)" }
        return String(format: f, k * d.mean) + unit + " [" + String(format: f, k * lo) + ", " + String(format: f, k * hi) + "]" + (d.excludesZero ? "" : " (includes 0)")
    }

    public func markdown(_ r: ResultsFile) -> String {
        var md: [String] = []
        if r.quick {
            md.append("> **Quick run** (`--quick`): \(plan?.scale.epochs ?? 0) epochs, \(plan?.scale.fullTrainSize ?? 0) training images at most: a first look, not the paper's setting. Its numbers are not comparable with the paper's.")
            md.append("")
        }
        md.append("# StatNet reproduction report")
        md.append("")
        md.append("Machine: \(r.machine["cores"] ?? "?") cores, \(r.machine["threads"] ?? "?") threads per run, BLAS core \(r.machine["blas_core"] ?? "?"). "
                  + "Runs finished: \(r.runsFinished)" + (plan.map { " of \($0.plannedRuns) planned" } ?? "") + ".")
        if let plan { md.append("Seeds: \(plan.seeds.map(String.init).joined(separator: ", ")); \(plan.scale.epochs) epochs; validation \(plan.scale.validationSize) images.") }
        md.append("")
        md.append("Accuracy and loss are on the 10,000 MNIST test images: mean ± standard deviation over seeds (n runs). "
                  + "Loss is the mean cross-entropy; *paper-scaled* is the paper's own measure (the sum of per-batch mean losses over the number of images, about the mean / 64). "
                  + "Differences are StatNet minus MLPNet, paired by seed, with a 95% t interval; \"includes 0\" means the data do not show a difference.")
        md.append("")
        for preset in presets {
            let rows = r.comparisons.filter { $0.preset == preset.rawValue }
            guard let full = rows.first(where: { $0.trainSize == fullSize }) else { continue }
            md.append("## Table 1, preset `\(preset.rawValue)` (\(describe(preset))): \(full.trainSize) training images")
            md.append("")
            md.append("| model | n | test accuracy | test loss | paper-scaled loss | paper: accuracy | paper: paper-scaled loss | training time per run |")
            md.append("|---|---|---|---|---|---|---|---|")
            for (name, c) in [("StatNet", full.statnet), ("MLPNet", full.mlpnet)] {
                guard let c else { continue }
                md.append("| \(name) | \(c.accuracy.n) | \(Self.pct(c.accuracy)) | \(Self.num(c.loss)) | \(Self.num(c.lossPaperScaled, 6)) | "
                          + (c.paper.map { String(format: "%.2f%% | %.6f", 100 * $0.accuracy, $0.paperScaledLoss) } ?? "– | –")
                          + " | \(String(format: "%.0f s", c.trainSeconds.mean)) |")
            }
            md.append("")
            md.append("StatNet − MLPNet: accuracy \(Self.ci(full.accuracyDifference, percent: true)); loss \(Self.ci(full.lossDifference, percent: false)).")
            md.append("")
        }
        if sizes.count > 1 {
            md.append("## Experiment 2: less training data")
            md.append("")
            for preset in presets {
                md.append("### preset `\(preset.rawValue)`")
                md.append("")
                md.append("| training images | MLPNet accuracy | StatNet accuracy | StatNet − MLPNet (95% CI) | MLPNet loss | StatNet loss | paper: MLPNet / StatNet accuracy |")
                md.append("|---|---|---|---|---|---|---|")
                for row in r.comparisons.filter({ $0.preset == preset.rawValue }) {
                    let paper = row.statnet?.paper.flatMap { s in row.mlpnet?.paper.map { m in String(format: "%.2f%% / %.2f%%", 100 * m.accuracy, 100 * s.accuracy) } } ?? "–"
                    md.append("| \(row.trainSize) | \(row.mlpnet.map { Self.pct($0.accuracy) } ?? "–") | \(row.statnet.map { Self.pct($0.accuracy) } ?? "–") | "
                              + "\(Self.ci(row.accuracyDifference, percent: true)) | \(row.mlpnet.map { Self.num($0.loss) } ?? "–") | "
                              + "\(row.statnet.map { Self.num($0.loss) } ?? "–") | \(paper) |")
                }
                md.append("")
            }
        }
        if !r.ablations.isEmpty {
            md.append("## Ablations (preset `physics`, \(fullSize ?? 0) training images)")
            md.append("")
            md.append("Where does any gain come from? Each variant against StatNet (all four channels) and against MLPNet on channel-normalised pixels, paired by seed. "
                      + "StatNet fed the energy channel alone is MLPNet (the energy is the pixel value, and MLPNet's four branches all read it), so that row is the MLPNet row.")
            md.append("")
            md.append("| variant | n | test accuracy | − StatNet (95% CI) | − MLPNet, normalised (95% CI) |")
            md.append("|---|---|---|---|---|")
            if let full = r.comparisons.first(where: { $0.preset == "physics" && $0.trainSize == fullSize }) {
                if let s = full.statnet { md.append("| statnet (all four channels) | \(s.accuracy.n) | \(Self.pct(s.accuracy)) | 0 | \(Self.ci(full.accuracyDifference, percent: true)) |") }
                if let m = full.mlpnet { md.append("| mlpnet, channel-normalised | \(m.accuracy.n) | \(Self.pct(m.accuracy)) | – | 0 |") }
            }
            for a in r.ablations {
                md.append("| \(a.label) | \(a.cell.accuracy.n) | \(Self.pct(a.cell.accuracy)) | \(Self.ci(a.accuracyVsStatNet, percent: true)) | \(Self.ci(a.accuracyVsMLPNet, percent: true)) |")
            }
            md.append("")
        }
        md.append("## Figures")
        md.append("")
        for preset in presets {
            md.append("![Figure 6, \(preset.rawValue)](figures/fig6-\(preset.rawValue).svg)")
            md.append("")
            if sizes.count > 1 { md.append("![Figure 7, \(preset.rawValue)](figures/fig7-\(preset.rawValue).svg)"); md.append("") }
        }
        if digit != nil {
            for v in FeatureVariant.allCases { md.append("![features, \(v.rawValue)](figures/features-\(v.rawValue).svg)") }
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    func describe(_ p: Preset) -> String {
        let normalisation = p.normalisation == .none ? "no" : p.normalisation.rawValue
        return "\(p.features.rawValue) features, \(normalisation) normalisation"
    }

    // MARK: figures

    static func meanBand(_ series: [[(x: Double, y: Double)]]) -> (points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)]) {
        var byX: [Double: [Double]] = [:]
        for s in series { for p in s { byX[p.x, default: []].append(p.y) } }
        let xs = byX.keys.sorted()
        let points = xs.map { x in (x: x, y: byX[x]!.reduce(0, +) / Double(byX[x]!.count)) }
        let band = series.count > 1 ? xs.map { x in (x: x, low: byX[x]!.min()!, high: byX[x]!.max()!) } : []
        return (points, band)
    }

    public func figures() -> [String: String] {
        var out: [String: String] = [:]
        let colors: [ModelKind: String] = [.statnet: SVGChart.palette[1], .mlpnet: SVGChart.palette[0]]
        for preset in presets {
            guard let full = fullSize else { continue }
            var panels: [SVGChart.Panel] = []
            // (title, y label, markers, log y, values of one run)
            let specs: [(String, String, Bool, Bool, (RunRecord) -> [(x: Double, y: Double)])] = [
                ("Training loss (log scale)", "running mean loss", false, true, { r in r.trainLog.map { (x: Double(self.batchIndex(r, $0.epoch, $0.batch)), y: $0.trainLoss) } }),
                ("Training accuracy", "running accuracy", false, false, { r in r.trainLog.map { (x: Double(self.batchIndex(r, $0.epoch, $0.batch)), y: $0.trainAccuracy) } }),
                ("Validation loss", "loss", true, false, { r in r.epochs.map { (x: Double(self.batchIndex(r, $0.epoch + 1, 0)), y: $0.validationLoss) } }),
                ("Validation accuracy", "accuracy", true, false, { r in r.epochs.map { (x: Double(self.batchIndex(r, $0.epoch + 1, 0)), y: $0.validationAccuracy) } }),
            ]
            for (title, yLabel, markers, logY, extract) in specs {
                var series: [SVGChart.Series] = []
                for model in ModelKind.allCases {
                    let runs = comparison(preset, model, size: full)
                    guard !runs.isEmpty else { continue }
                    let (points, band) = Self.meanBand(runs.map(extract))
                    series.append(.init(name: "\(model == .statnet ? "StatNet" : "MLPNet") (n=\(runs.count))", color: colors[model]!,
                                        points: points, band: band, markers: markers))
                }
                panels.append(.init(title: title, xLabel: "batch", yLabel: yLabel, series: series, logY: logY))
            }
            out["fig6-\(preset.rawValue).svg"] = SVGChart.render(
                title: "Figure 6 (\(preset.rawValue) preset): StatNet vs MLPNet; \(full) training images; line = mean, band = min to max over seeds",
                panels: panels)
            if sizes.count > 1 {
                var accuracy: [SVGChart.Series] = [], loss: [SVGChart.Series] = []
                for model in ModelKind.allCases {
                    var a: [(x: Double, y: Double)] = [], l: [(x: Double, y: Double)] = []
                    var aBand: [(x: Double, low: Double, high: Double)] = [], lBand: [(x: Double, low: Double, high: Double)] = []
                    for size in sizes {
                        let runs = comparison(preset, model, size: size)
                        guard !runs.isEmpty else { continue }
                        let acc = Summary(runs.map { $0.result!.testAccuracy }), ls = Summary(runs.map { $0.result!.testLoss })
                        a.append((Double(size), acc.mean))
                        l.append((Double(size), ls.mean))
                        if let s = acc.std { aBand.append((Double(size), acc.mean - s, acc.mean + s)) }
                        if let s = ls.std { lBand.append((Double(size), ls.mean - s, ls.mean + s)) }
                    }
                    let name = model == .statnet ? "StatNet" : "MLPNet"
                    accuracy.append(.init(name: name, color: colors[model]!, points: a, band: aBand, markers: true))
                    loss.append(.init(name: name, color: colors[model]!, points: l, band: lBand, markers: true))
                    if plan?.quick != true {
                        let paper = sizes.compactMap { s in PaperNumbers.results[s]?[model].map { (x: Double(s), y: $0.accuracy) } }
                        accuracy.append(.init(name: "\(name), paper", color: model == .statnet ? SVGChart.palette[4] : SVGChart.palette[2], points: paper, markers: true))
                    }
                }
                out["fig7-\(preset.rawValue).svg"] = SVGChart.render(
                    title: "Figure 7 (\(preset.rawValue) preset): test results against training images; line = mean, band = ± 1 sd over seeds",
                    panels: [.init(title: "Test accuracy", xLabel: "training images (log scale)", yLabel: "accuracy", series: accuracy, logX: true),
                             .init(title: "Test loss (mean cross-entropy, log scale)", xLabel: "training images (log scale)", yLabel: "loss",
                                   series: loss, logX: true, logY: true)])
            }
        }
        if let digit {
            for variant in FeatureVariant.allCases {
                let channels = FeatureExtractor(variant: variant).channels(of: digit.pixels)
                out["features-\(variant.rawValue).svg"] = SVGChart.heatmaps(
                    title: "Feature channels of test digit \(digit.index) (a \(digit.label)), variant \(variant.rawValue)",
                    grids: zip(FeatureChannel.allCases, channels).map { (title: $0.name, values: $1) }, side: MNISTSplit.side)
            }
        }
        return out
    }

    /// Batches since the start of training at (epoch, batch of that epoch).
    func batchIndex(_ r: RunRecord, _ epoch: Int, _ batch: Int) -> Int {
        let perEpoch = (r.spec.config.trainSize + r.spec.config.batchSize - 1) / r.spec.config.batchSize
        return (epoch - 1) * perEpoch + batch
    }

    /// Writes report.md, results.json and figures/*.svg into `directory`, each atomically.
    public func write(to directory: String) throws {
        let r = results()
        let dir = directory as NSString
        try AtomicFile.writeJSON(r, to: dir.appendingPathComponent("results.json"))
        for (name, svg) in figures() { try AtomicFile.write(svg, to: dir.appendingPathComponent("figures/\(name)")) }
        try AtomicFile.write(markdown(r) + "\n", to: dir.appendingPathComponent("report.md"))
    }
}
