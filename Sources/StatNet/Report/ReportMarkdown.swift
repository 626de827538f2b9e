import Foundation

/// `report.md`: the paper's tables beside ours, from `ReportResults` alone.
struct ReportMarkdown {
    let results: ReportResults
    let plan: PlanInfo?
    /// Whether the feature heatmaps were drawn (MNIST was at hand).
    let hasHeatmaps: Bool

    /// Experiment 1's size: the largest comparison size.
    var fullSize: Int? { results.comparisons.map(\.trainSize).max() }
    var sizes: [Int] { Array(Set(results.comparisons.map(\.trainSize))).sorted() }

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

    func render() -> String {
        let r = results
        var md: [String] = []
        if r.quick {
            md.append("> **Quick run** (`--quick`): \(plan?.scale.epochs ?? 0) epochs, \(plan?.scale.fullTrainSize ?? 0) training images at most: a first look, not the paper's setting. Its numbers are not comparable with the paper's.")
            md.append("")
        }
        md.append("# StatNet reproduction report")
        md.append("")
        md.append("Machine: \(r.machine["cores"] ?? "?") cores, \(r.machine["threads"] ?? "?") threads per run, BLAS core \(r.machine["blas_core"] ?? "?"). "
                  + "Runs finished: \(r.runsFinished)" + (plan.map { " of \($0.plannedRuns) planned" } ?? "") + ".")
        if let plan { md.append("Seeds: \(plan.seeds); \(plan.scale.epochs) epochs; validation \(plan.scale.validationSize) images.") }
        md.append("")
        md.append("Accuracy and loss are on the 10,000 MNIST test images: mean ± standard deviation over seeds (n runs). "
                  + "Loss is the mean cross-entropy; *paper-scaled* is the paper's own measure (the sum of per-batch mean losses over the number of images, about the mean / 64). "
                  + "Differences are StatNet minus MLPNet, paired by seed, with a 95% t interval; \"includes 0\" means the data do not show a difference.")
        md.append("")
        for preset in Preset.allCases where r.comparisons.contains(where: { $0.preset == preset.rawValue }) {
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
            for preset in Preset.allCases where r.comparisons.contains(where: { $0.preset == preset.rawValue }) {
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
        for preset in Preset.allCases where r.comparisons.contains(where: { $0.preset == preset.rawValue }) {
            md.append("![Figure 6, \(preset.rawValue)](figures/fig6-\(preset.rawValue).svg)")
            md.append("")
            if sizes.count > 1 { md.append("![Figure 7, \(preset.rawValue)](figures/fig7-\(preset.rawValue).svg)"); md.append("") }
        }
        if hasHeatmaps {
            for v in FeatureVariant.allCases { md.append("![features, \(v.rawValue)](figures/features-\(v.rawValue).svg)") }
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    func describe(_ p: Preset) -> String {
        let normalisation = p.normalisation == .none ? "no" : p.normalisation.rawValue
        return "\(p.features.rawValue) features, \(normalisation) normalisation"
    }
}
