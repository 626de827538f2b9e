import Foundation

/// `report.md`: the paper's tables beside ours, from `ReportResults` alone.
struct ReportMarkdown {
    let results: ReportResults
    let plan: PlanInfo?
    /// Whether the feature heatmaps were drawn (MNIST was at hand).
    let hasHeatmaps: Bool
    /// Run folders left out because their files could not be used.
    var damaged: [FinishedRun.Damaged] = []

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
        if !damaged.isEmpty {
            md.append("**\(damaged.count) run folder(s) left out: their files cannot be used** (`statnet reproduce` with the same plan repairs a damaged `spec.json`; a damaged `result.json` is trained again after removing it):")
            md.append("")
            for d in damaged { md.append("- `\(d.path)`: \(d.reason)") }
            md.append("")
        }
        md += claimsSection()
        md.append("## The tables of the paper")
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
        let presets = Preset.allCases.filter { p in r.comparisons.contains { $0.preset == p.rawValue } }
        if sizes.count > 1 {
            md.append("![StatNet − MLPNet test accuracy against training images](figures/\(ReportFigures.gapFigure))")
            md.append("")
            md.append("*StatNet − MLPNet test accuracy against the number of training images (log scale), one line per preset: the mean "
                      + "difference over seeds, the band its 95% interval (paired by seed), the dashed line zero. Where the band covers "
                      + "zero the data show no difference at that size." + (r.quick ? "*" : " The points are the paper's published gaps (one run each).*"))
            md.append("")
        }
        for preset in presets {
            md.append("![Figure 6, \(preset.rawValue)](figures/fig6-\(preset.rawValue).svg)")
            md.append("")
            md.append("*Figure 6, preset `\(preset.rawValue)`: training curves of StatNet and MLPNet on \(fullSize ?? 0) images. "
                      + "Top: the running training loss (log scale) and accuracy since the start of each epoch, logged every 20 batches; bottom: "
                      + "validation loss and accuracy after each epoch. The x axis counts epochs, with minor ticks every few hundred batches (see its label); lines are the "
                      + "mean over seeds, bands the range (minimum to maximum).*")
            md.append("")
            if sizes.count > 1 {
                md.append("![Figure 7, \(preset.rawValue)](figures/fig7-\(preset.rawValue).svg)")
                md.append("")
                md.append("*Figure 7, preset `\(preset.rawValue)`: test accuracy and test loss (mean cross-entropy, log scale) against the number of "
                          + "training images (log scale); lines are the mean over seeds, bands ± 1 standard deviation"
                          + (r.quick ? ".*" : ", points the paper's published accuracies.*"))
                md.append("")
            }
        }
        if hasHeatmaps {
            for v in FeatureVariant.allCases { md.append("![features, \(v.rawValue)](figures/features-\(v.rawValue).svg)") }
            md.append("")
            md.append("*The four feature channels of one test digit, for each feature variant, as 28 × 28 heatmaps; each channel has its own "
                      + "colour scale from its minimum (dark) to its maximum (light), printed under it. Energy and level follow the strokes; "
                      + "entropy and mean energy summarise everything before a pixel in reading order.*")
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    // MARK: the claims

    static func verdictWords(_ v: ClaimVerdict) -> String {
        switch v {
        case .supported: "**supported**"
        case .contradicted: "**contradicted**"
        case .noDifference: "**no difference**"
        case .undecided: "**undecided**"
        }
    }

    static func value(_ x: Double, unit: String) -> String {
        unit == "pp" ? String(format: "%+.2f pp", x) : String(format: "%+.4f", x)
    }

    /// The end of the interval farthest from 0, with its sign (the largest difference the data
    /// still allow, and in which direction).
    static func largestAllowed(_ row: Claims.Row) -> String {
        value(abs(row.high) >= abs(row.low) ? row.high : row.low, unit: row.unit)
    }

    static func interval(_ row: Claims.Row) -> String {
        value(row.mean, unit: row.unit) + " [" + value(row.low, unit: row.unit).replacingOccurrences(of: " pp", with: "") + ", "
            + value(row.high, unit: row.unit).replacingOccurrences(of: " pp", with: "") + "]"
    }

    /// The Claims table and a summary generated from it: no sentence here is written by hand
    /// about particular numbers, so it cannot drift from the data.
    func claimsSection() -> [String] {
        let rows = results.claims
        guard !rows.isEmpty else {
            // Say why, in the first lines a newcomer reads, and where the verdicts are.
            return ["## Claims", "",
                    "No verdicts here: each claim compares StatNet with MLPNet paired by seed, and an interval needs at least "
                    + "\(Claims.minimumPairs) seeds per cell (this report has fewer). Run the same command with `--seeds 3` for a first "
                    + "verdict (a quick run takes about a minute more), or read the documentation run's verdicts in "
                    + "docs/reproduction/report.md.", ""]
        }
        var md: [String] = ["## Claims", ""]
        md.append("The paper's conclusion (section 5) claims that under the same data and training settings StatNet (1) converges faster, "
                  + "(2) reaches a higher test accuracy, (3) a lower loss and (4) loses less accuracy with little training data. Each claim has one "
                  + "measure, StatNet against MLPNet paired by seed, oriented so that **a positive value favours StatNet**, with a 95% t interval. "
                  + "The verdict follows a rule fixed before the data: *supported* if the interval lies above 0, *contradicted* if below, "
                  + "*no difference* if it lies inside (−margin, +margin) (margins: \(Claims.accuracyMargin) percentage points of accuracy, "
                  + "\(Claims.lossMargin) of mean cross-entropy), else *undecided*. The Holm column adjusts the tests of a difference over all "
                  + "\(rows.count) rows (family-wise error \(Claims.alpha)).")
        md.append("")
        md.append("| claim | preset | measure | difference [95% CI] | n | verdict | Holm-adjusted | largest difference allowed |")
        md.append("|---|---|---|---|---|---|---|---|")
        for row in rows {
            let allowed = row.verdict == .undecided || row.verdict == .noDifference ? Self.largestAllowed(row) : "–"
            md.append("| \(row.claim) | `\(row.preset)` | \(row.measure) | \(Self.interval(row)) | \(row.n) | \(Self.verdictWords(row.verdict)) | "
                      + "\(Self.verdictWords(row.verdictHolm)) | \(allowed) |")
        }
        if let note = rows.first(where: { $0.note != nil })?.note {
            md.append("")
            md.append("Little data: the measure is MLPNet's accuracy lost minus StatNet's, which equals the StatNet − MLPNet gap at the small size "
                      + "minus the gap at the full size; the \(note).")
        }
        md.append("")
        md.append("### What this says")
        md.append("")
        md += summary(rows)
        md.append("")
        md += secondaryTables()
        return md
    }

    /// One generated sentence per claim across the presets, then one per preset-wide pattern.
    func summary(_ rows: [Claims.Row]) -> [String] {
        var lines: [String] = []
        let names: [String: String] = ["convergence": "Faster convergence", "accuracy": "Higher test accuracy", "loss": "Lower test loss",
                                       "little-data": "Less accuracy lost with little data"]
        for claim in Claims.Claim.allCases {
            let mine = rows.filter { $0.claim == claim.rawValue }
            guard !mine.isEmpty else { continue }
            let parts = mine.map { row -> String in
                var s = "`\(row.preset)` \(Self.verdictWords(row.verdictHolm).replacingOccurrences(of: "**", with: "")) (\(Self.interval(row)))"
                if row.verdictHolm != row.verdict { s += ", \(Self.verdictWords(row.verdict).replacingOccurrences(of: "**", with: "")) before the Holm adjustment" }
                if row.verdictHolm == .undecided || row.verdictHolm == .noDifference {
                    s += "; the interval still allows a difference as large as \(Self.largestAllowed(row))"
                }
                return s
            }
            lines.append("- **\(names[claim.rawValue] ?? claim.rawValue)**: " + parts.joined(separator: "; ") + ".")
        }
        let byPreset = Dictionary(grouping: rows, by: \.preset)
        for (preset, presetRows) in byPreset.sorted(by: { $0.key < $1.key }) {
            let supported = presetRows.filter { $0.verdictHolm == .supported }.map(\.claim)
            lines.append("- With the `\(preset)` preset \(supported.count) of \(presetRows.count) claims "
                         + (supported.count == 1 ? "is" : "are") + " supported after the Holm adjustment"
                         + (supported.isEmpty ? "." : " (\(supported.joined(separator: ", "))).")
                         + (presetRows.contains { $0.verdictHolm == .contradicted } ? " Contradicted: "
                            + presetRows.filter { $0.verdictHolm == .contradicted }.map(\.claim).joined(separator: ", ") + "." : ""))
        }
        return lines
    }

    /// The measures shown beside the primary ones.
    func secondaryTables() -> [String] {
        let details = results.claimDetails
        var md: [String] = []
        if !details.convergence.isEmpty {
            md.append("Convergence, also: batches until the validation accuracy first reaches \(Int(Claims.convergenceAccuracy * 100))% "
                      + "(checked after each epoch; runs that never reach it are *not reached*), and the validation loss averaged over the epochs "
                      + "(MLPNet − StatNet, positive favours StatNet).")
            md.append("")
            md.append("| preset | StatNet: batches to \(Int(Claims.convergenceAccuracy * 100))% | MLPNet: batches to \(Int(Claims.convergenceAccuracy * 100))% | batches saved by StatNet [95% CI] | mean validation loss, MLPNet − StatNet [95% CI] |")
            md.append("|---|---|---|---|---|")
            func batches(_ values: [Int?]) -> String {
                let reached = values.compactMap { $0 }.sorted()
                let median = reached.isEmpty ? "–" : String(reached[reached.count / 2])
                return "median \(median)" + (reached.count < values.count ? ", not reached in \(values.count - reached.count) of \(values.count)" : "")
            }
            func estimate(_ e: Claims.Estimate?, _ format: String) -> String {
                guard let e else { return "– (fewer than two pairs)" }
                return String(format: "\(format) [\(format), \(format)] (n = %d)", e.mean, e.low, e.high, e.n)
            }
            for c in details.convergence {
                md.append("| `\(c.preset)` | \(batches(c.statnetBatches)) | \(batches(c.mlpnetBatches)) | \(estimate(c.batchesSaved, "%+.0f")) | \(estimate(c.meanValidationLoss, "%+.4f")) |")
            }
            md.append("")
        }
        if !details.littleData.isEmpty {
            md.append("Little data at every size: MLPNet's accuracy lost from the full training set minus StatNet's, in percentage points "
                      + "(positive favours StatNet), with the Welch 95% interval.")
            md.append("")
            md.append("| preset | training images | difference [95% CI] | verdict by the same rule |")
            md.append("|---|---|---|---|")
            for l in details.littleData.sorted(by: { ($0.preset, $0.trainSize) < ($1.preset, $1.trainSize) }) {
                let e = l.lossDifference
                md.append(String(format: "| `%@` | %d | %+.2f pp [%+.2f, %+.2f] | ", l.preset, l.trainSize, e.mean, e.low, e.high)
                          + Self.verdictWords(ClaimVerdict(low: e.low, high: e.high, margin: Claims.accuracyMargin)) + " |")
            }
            md.append("")
        }
        return md
    }

    func describe(_ p: Preset) -> String {
        "\(p.features.rawValue) features, \(p.normalisation.words)"
    }
}
