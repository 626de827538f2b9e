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

    static func verdictWords(_ v: ClaimVerdict) -> String { "**\(v.words)**" }

    static func value(_ x: Double, unit: String) -> String {
        unit == "pp" ? String(format: "%+.2f pp", x) : String(format: "%+.4f", x)
    }

    /// The end of the interval farthest from 0, with its sign (the largest difference the data
    /// still allow, and in which direction).
    static func largestAllowed(_ row: Claims.Row) -> String { value(row.largestAllowed, unit: row.unit) }

    static func interval(_ row: Claims.Row) -> String { interval(row.mean, row.low, row.high, unit: row.unit) }

    static func interval(_ mean: Double, _ low: Double, _ high: Double, unit: String) -> String {
        value(mean, unit: unit) + " " + bracket(low, high, unit: unit)
    }

    /// "[low, high]", the unit given once by the value beside it.
    static func bracket(_ low: Double, _ high: Double, unit: String) -> String {
        "[" + value(low, unit: unit).replacingOccurrences(of: " pp", with: "") + ", "
            + value(high, unit: unit).replacingOccurrences(of: " pp", with: "") + "]"
    }

    static func p(_ x: Double) -> String { x < 0.001 ? "<0.001" : String(format: "%.3f", x) }

    static func margin(_ row: Claims.Row) -> String { row.unit == "pp" ? String(format: "±%.2g pp", row.margin) : String(format: "±%.3g", row.margin) }

    /// The Claims section: the plan it applies, the primary rows with their zones, the
    /// sensitivity rows, then a summary generated from them (no sentence here is written by hand
    /// about particular numbers, so none can drift from the data) and the secondary tables.
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
        let plan = Claims.plan
        let primary = rows.filter { $0.role == .primary }, sensitivity = rows.filter { $0.role == .sensitivity }
        let preRegistered = primary.allSatisfy(\.preRegistered)
        var md: [String] = ["## Claims", ""]
        md.append("The paper's conclusion (section 5) claims that under the same data and training settings StatNet (1) converges faster, "
                  + "(2) reaches a higher test accuracy, (3) a lower loss and (4) loses less accuracy with little training data. "
                  + "The analysis plan (version \(plan.version), fixed \(plan.fixed)\(plan.commit.map { " in commit \($0)" } ?? ""); docs/analysis-plan.md) names one primary measure per claim, "
                  + "StatNet against MLPNet paired by seed, signed so that **a positive value favours StatNet**, with a 95% t interval, "
                  + "and a margin. The verdict is the interval's zone: better by more than the margin, better but possibly by less, better but "
                  + "negligibly, equivalent, the same three for worse, or undecided; the Holm column adjusts the tests of a zero difference over "
                  + "the \(primary.count) primary rows (family-wise error \(plan.alpha)). *Exact p* is the sign-flip permutation p-value of the "
                  + "same differences (with n pairs it cannot fall below 2/2^n: a smaller t p-value rests on the normal model alone). "
                  + (preRegistered ? "Every run behind these verdicts was started after the plan was fixed: they are **pre-registered**."
                                   : "**Post hoc**: some runs behind these verdicts were started before the plan was fixed (or do not record when), "
                                     + "so the verdicts apply a plan written after their data existed."))
        md.append("")
        md.append("*How to read it:* one row per claim and preset; *n* is the pairs of runs; *bootstrap* is the interval over seeds and test "
                  + "images together (– where the runs kept no per-image outputs); *largest allowed* is the end of the interval farthest from 0, "
                  + "the largest difference the data still allow.")
        md.append("")
        md.append("| claim | preset | measure | difference [95% CI] | n | exact p | bootstrap | margin | verdict | Holm-adjusted | largest allowed |")
        md.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for row in primary {
            let bootstrap = row.bootstrapLow.flatMap { l in row.bootstrapHigh.map { h in Self.bracket(l, h, unit: row.unit) } } ?? "–"
            md.append("| \(row.claim) | `\(row.preset)` | \(row.measure) | \(Self.interval(row)) | \(row.n) | \(Self.p(row.exactP)) | \(bootstrap) | "
                      + "\(Self.margin(row)) | \(Self.verdictWords(row.verdict)) | \(Self.verdictWords(row.verdictHolm)) | "
                      + (row.verdictHolm.leavesRoomBeyondMargin ? Self.largestAllowed(row) : "–") + " |")
        }
        for note in Set(primary.compactMap(\.note)).sorted() { md += ["", "Little data: \(note)."] }
        if !sensitivity.isEmpty {
            md.append("")
            md.append("*Sensitivity rows:* the same claims on other scales or after calibration (not adjusted, not primary): a verdict that "
                      + "changes here rests on the choice of scale.")
            md.append("")
            md.append("| claim | preset | measure | difference [95% CI] | n | exact p | margin | verdict |")
            md.append("|---|---|---|---|---|---|---|---|")
            for row in sensitivity {
                md.append("| \(row.claim) | `\(row.preset)` | \(row.measure) | \(Self.interval(row)) | \(row.n) | \(Self.p(row.exactP)) | "
                          + "\(Self.margin(row)) | \(Self.verdictWords(row.verdict)) |")
            }
        }
        for missing in results.claimDetails.unavailable { md += ["", "*Not available in these runs:* \(missing)."] }
        md.append("")
        md.append("### What this says")
        md.append("")
        md += summary(primary)
        md.append("")
        md += secondaryTables()
        return md
    }

    /// One generated sentence per claim across the presets, then one per preset.
    func summary(_ rows: [Claims.Row]) -> [String] {
        var lines: [String] = []
        let names: [String: String] = ["convergence": "Faster convergence", "accuracy": "Higher test accuracy", "loss": "Lower test loss",
                                       "little-data": "Less accuracy lost with little data"]
        for claim in Claims.Claim.allCases {
            let mine = rows.filter { $0.claim == claim.rawValue }
            guard !mine.isEmpty else { continue }
            let parts = mine.map { row -> String in
                var s = "`\(row.preset)` \(row.verdictHolm.words) (\(Self.interval(row)))"
                if row.verdictHolm != row.verdict { s += ", \(row.verdict.words) before the Holm adjustment" }
                if row.verdictHolm.leavesRoomBeyondMargin { s += "; the interval still allows a difference as large as \(Self.largestAllowed(row))" }
                return s
            }
            lines.append("- **\(names[claim.rawValue] ?? claim.rawValue)**: " + parts.joined(separator: "; ") + ".")
        }
        let byPreset = Dictionary(grouping: rows, by: \.preset)
        for (preset, presetRows) in byPreset.sorted(by: { $0.key < $1.key }) {
            let better = presetRows.filter { $0.verdictHolm.favoursStatNet }.map(\.claim)
            let worse = presetRows.filter { $0.verdictHolm.favoursMLPNet }.map(\.claim)
            lines.append("- With the `\(preset)` preset StatNet is shown better in \(better.count) of \(presetRows.count) claims after the Holm adjustment"
                         + (better.isEmpty ? "" : " (\(better.joined(separator: ", ")))") + "; shown worse in \(worse.count)"
                         + (worse.isEmpty ? "" : " (\(worse.joined(separator: ", ")))") + ".")
        }
        return lines
    }

    /// The measures shown beside the claims, each table with how to read it.
    func secondaryTables() -> [String] {
        let details = results.claimDetails
        var md: [String] = []
        func estimate(_ e: Claims.Estimate?, _ format: String) -> String {
            guard let e else { return "– (fewer than two pairs with the measure)" }
            return String(format: "\(format) [\(format), \(format)] (n = %d, exact p %@)", e.mean, e.low, e.high, e.n, Self.p(e.exactP))
        }
        /// One row per preset and training size: the estimate and its zone under `margin`.
        func perSizeTable(_ rows: [(preset: String, trainSize: Int, estimate: Claims.Estimate)], format: String, margin: Double,
                          verdictHeader: String) {
            md += ["", "| preset | training images | difference [95% CI] | \(verdictHeader) |", "|---|---|---|---|"]
            for row in rows {
                let verdict = ClaimVerdict(low: row.estimate.low, high: row.estimate.high, margin: margin)
                md.append("| `\(row.preset)` | \(row.trainSize) | \(estimate(row.estimate, format)) | \(Self.verdictWords(verdict)) |")
            }
            md.append("")
        }
        if !details.convergence.isEmpty {
            md.append("*Convergence, secondary:* batches until the validation accuracy first reaches \(Int(Claims.convergenceAccuracy * 100))% "
                      + "(checked after each epoch); a run that never reaches it counts as the slower one in the paired sign test. The normalised "
                      + "validation area is the mean validation accuracy over the epochs divided by the last one (1: at its plateau from epoch 1; "
                      + "StatNet − MLPNet, positive: StatNet rises sooner, whatever its plateau; runs of one epoch have no such measure).")
            md.append("")
            md.append("| preset | StatNet: batches to \(Int(Claims.convergenceAccuracy * 100))% | MLPNet | StatNet first / MLPNet first / ties (sign test p) | normalised validation area, StatNet − MLPNet |")
            md.append("|---|---|---|---|---|")
            func batches(_ values: [Int?]) -> String {
                let reached = values.compactMap { $0 }.sorted(), middle = reached.count / 2
                let median = reached.isEmpty ? "–"
                    : reached.count % 2 == 1 ? String(reached[middle]) : String(format: "%g", Double(reached[middle - 1] + reached[middle]) / 2)
                return "median \(median)" + (reached.count < values.count ? ", not reached in \(values.count - reached.count) of \(values.count)" : "")
            }
            for c in details.convergence {
                md.append("| `\(c.preset)` | \(batches(c.statnetBatches)) | \(batches(c.mlpnetBatches)) | \(c.statnetFaster) / \(c.mlpnetFaster) / \(c.ties) (\(Self.p(c.signTestP))) | \(estimate(c.normalisedValidationArea, "%+.4f")) |")
            }
            md.append("")
            let steps = details.convergence.flatMap { c in c.firstSteps.map { (c.preset, $0) } }
            if !steps.isEmpty {
                md.append("*Convergence at every size:* the mean training loss over the first \(Claims.convergenceSteps) steps, MLPNet − StatNet "
                          + "(positive: StatNet's loss fell sooner), with the zone verdict under the convergence margin.")
                perSizeTable(steps.map { ($0.0, $0.1.trainSize, $0.1.estimate) }, format: "%+.4f", margin: Claims.convergenceMargin,
                             verdictHeader: "verdict")
            }
        }
        if !details.littleData.isEmpty {
            md.append("*Little data at every size:* MLPNet's accuracy lost from the full training set minus StatNet's, in percentage points "
                      + "(positive favours StatNet), paired by seed over the seeds run at both sizes.")
            perSizeTable(details.littleData.sorted(by: { ($0.preset, $0.trainSize) < ($1.preset, $1.trainSize) })
                            .map { ($0.preset, $0.trainSize, $0.accuracyLostDifference) },
                         format: "%+.2f", margin: Claims.littleDataMargin, verdictHeader: "verdict by the same rule")
        }
        if !details.trends.isEmpty {
            md.append("*The trend the little-data claim describes:* the StatNet − MLPNet accuracy gap of each seed at each size regressed on "
                      + "log10(training images), standard errors clustered by seed. A negative slope means the gap grows as the data shrink.")
            md.append("")
            md.append("| preset | sizes | slope, points per decade [95% CI] | observations / seeds | p |")
            md.append("|---|---|---|---|---|")
            for t in details.trends {
                let r = t.regression
                md.append(String(format: "| `%@` | %@ | %+.3f [%+.3f, %+.3f] | %d / %d | %@ |", t.preset, t.sizes.map(String.init).joined(separator: ", "),
                                 r.slope, r.low, r.high, r.observations, r.clusters, Self.p(r.pValue)))
            }
            md.append("")
        }
        if !details.calibration.isEmpty {
            md.append("*Calibration (for the loss claim):* one temperature per run fitted on its validation images, then the test cross-entropy "
                      + "and the expected calibration error (15 equal-width bins) before and after. A loss gap that closes after scaling was "
                      + "calibration, not a better ranking of the digits. Mean ± sd over the runs; the reliability diagram is figures/fig-reliability.svg.")
            md.append("")
            md.append("| preset | model | runs | temperature | test loss before | after | ECE before | after |")
            md.append("|---|---|---|---|---|---|---|---|")
            for c in details.calibration {
                md.append("| `\(c.preset)` | \(c.model) | \(c.runs) | \(Self.num(c.temperature, 3)) | \(Self.num(c.testLossBefore)) | \(Self.num(c.testLossAfter)) | "
                          + "\(Self.num(c.eceBefore)) | \(Self.num(c.eceAfter)) |")
            }
            md.append("")
        }
        if !details.mcnemar.isEmpty {
            md.append("*McNemar's exact test per seed pair (accuracy claim):* of the test images the two models classify differently, how many "
                      + "only StatNet gets right and how many only MLPNet; p is the chance of a split at least this uneven if both were equally accurate.")
            md.append("")
            md.append("| preset | seed | only StatNet right | only MLPNet right | p |")
            md.append("|---|---|---|---|---|")
            for m in details.mcnemar { md.append("| `\(m.preset)` | \(m.seed) | \(m.test.statnetOnly) | \(m.test.mlpnetOnly) | \(Self.p(m.test.pValue)) |") }
            md.append("")
        }
        return md
    }

    func describe(_ p: Preset) -> String {
        "\(p.features.rawValue) features, \(p.normalisation.words)"
    }
}
