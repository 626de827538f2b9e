import Foundation

/// The report's SVG figures: Figure 6 (training curves) and Figure 7 (test results against
/// training-set size) per preset, and the feature channels of a test digit.
struct ReportFigures {
    let set: RunSet
    let plan: PlanInfo?
    let digit: ReportWriter.Digit?
    /// The loss claim's calibration per preset and model (the reliability diagram).
    var calibration: [Claims.Secondary.Calibration] = []

    static func meanBand(_ series: [[(x: Double, y: Double)]]) -> (points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)]) {
        var byX: [Double: [Double]] = [:]
        for s in series { for p in s { byX[p.x, default: []].append(p.y) } }
        let xs = byX.keys.sorted()
        let points = xs.map { x in (x: x, y: byX[x]!.reduce(0, +) / Double(byX[x]!.count)) }
        let band = series.count > 1 ? xs.map { x in (x: x, low: byX[x]!.min()!, high: byX[x]!.max()!) } : []
        return (points, band)
    }

    /// The reliability diagram: per preset, accuracy against confidence in 15 bins for each
    /// model's first-seed run, before (solid) and after (dashed) temperature scaling; the
    /// diagonal is a perfectly calibrated model.
    func reliabilityDiagram(colors: [ModelKind: String]) -> String? {
        guard !calibration.isEmpty else { return nil }
        var panels: [SVGChart.Panel] = []
        for preset in Preset.allCases {
            let mine = calibration.filter { $0.preset == preset.rawValue }
            guard !mine.isEmpty else { continue }
            var series = [SVGChart.Series(name: "calibrated", color: "#888888", points: [(0, 0), (1, 1)], dashed: true)]
            for c in mine {
                let model = ModelKind(rawValue: c.model) ?? .statnet
                let name = model == .statnet ? "StatNet" : "MLPNet"
                func points(_ bins: [TemperatureScaling.Bin]) -> [(x: Double, y: Double)] {
                    bins.filter { $0.count > 0 }.map { (x: $0.confidence, y: $0.accuracy) }
                }
                series.append(.init(name: "\(name), as trained", color: colors[model]!, points: points(c.binsBefore), markers: true))
                series.append(.init(name: "\(name), temperature-scaled", color: colors[model]!, points: points(c.binsAfter), markers: true, dashed: true))
            }
            var panel = SVGChart.Panel(title: "\(preset.rawValue) preset", xLabel: "confidence (bin mean)", yLabel: "accuracy", series: series)
            panel.xRange = 0...1
            panels.append(panel)
        }
        return SVGChart.render(title: "Reliability on the test images (first seed's run; 15 equal-width confidence bins)", panels: panels)
    }

    func render() -> [String: String] {
        var out: [String: String] = [:]
        let colors: [ModelKind: String] = [.statnet: SVGChart.palette[1], .mlpnet: SVGChart.palette[0]]
        if let reliability = reliabilityDiagram(colors: colors) { out["fig-reliability.svg"] = reliability }
        for preset in set.presets {
            guard let full = set.fullSize else { continue }
            var panels: [SVGChart.Panel] = []
            // (title, y label, markers, log y, values of one run); x in epochs.
            let specs: [(String, String, Bool, Bool, (FinishedRun) -> [(x: Double, y: Double)])] = [
                ("Training loss (log scale)", "running mean loss", false, true, { r in r.trainLog.map { (x: Self.epochs(r, $0.epoch, $0.batch), y: $0.trainLoss) } }),
                ("Training accuracy", "running accuracy", false, false, { r in r.trainLog.map { (x: Self.epochs(r, $0.epoch, $0.batch), y: $0.trainAccuracy) } }),
                ("Validation loss", "loss", true, false, { r in r.epochs.map { (x: Double($0.epoch), y: $0.validationLoss) } }),
                ("Validation accuracy", "accuracy", true, false, { r in r.epochs.map { (x: Double($0.epoch), y: $0.validationAccuracy) } }),
            ]
            var legend: [SVGChart.Series] = []
            let fullRuns = set.comparisons.filter { $0.spec.config.preset == preset && $0.spec.config.trainSize == full }
            let perEpoch = fullRuns.first?.batchesPerEpoch ?? 1
            let minorStep = Self.minorTickBatches(batchesPerEpoch: perEpoch)
            let epochs = fullRuns.map(\.spec.config.epochs).max() ?? 1
            let minorTicks = stride(from: minorStep, to: perEpoch * epochs, by: minorStep).map { Double($0) / Double(perEpoch) }
            for (title, yLabel, markers, logY, extract) in specs {
                var series: [SVGChart.Series] = []
                for model in ModelKind.allCases {
                    let runs = set.comparison(preset, model, size: full)
                    guard !runs.isEmpty else { continue }
                    let (points, band) = Self.meanBand(runs.map(extract))
                    series.append(.init(name: "\(model == .statnet ? "StatNet" : "MLPNet") (n=\(runs.count))", color: colors[model]!,
                                        points: points, band: band, markers: markers))
                }
                if legend.isEmpty { legend = series.map { var s = $0; s.markers = false; return s } }
                var panel = SVGChart.Panel(title: title, xLabel: "epoch (minor ticks: every \(minorStep) batches)", yLabel: yLabel, series: series, logY: logY)
                panel.xMinorTicks = minorTicks
                panel.xRange = 0...Double(epochs)
                panels.append(panel)
            }
            out["fig6-\(preset.rawValue).svg"] = SVGChart.render(
                title: "Figure 6 (\(preset.rawValue) preset): StatNet vs MLPNet; \(full) training images; line = mean, band = min to max over seeds",
                panels: panels, legend: legend)
            if set.sizes.count > 1 {
                var accuracy: [SVGChart.Series] = [], loss: [SVGChart.Series] = []
                for model in ModelKind.allCases {
                    var a: [(x: Double, y: Double)] = [], l: [(x: Double, y: Double)] = []
                    var aBand: [(x: Double, low: Double, high: Double)] = [], lBand: [(x: Double, low: Double, high: Double)] = []
                    for size in set.sizes {
                        let runs = set.comparison(preset, model, size: size)
                        guard !runs.isEmpty else { continue }
                        let acc = Summary(runs.map { $0.result.testAccuracy }), ls = Summary(runs.map { $0.result.testLoss })
                        a.append((Double(size), acc.mean))
                        l.append((Double(size), ls.mean))
                        if let s = acc.std { aBand.append((Double(size), acc.mean - s, acc.mean + s)) }
                        if let s = ls.std { lBand.append((Double(size), ls.mean - s, ls.mean + s)) }
                    }
                    let name = model == .statnet ? "StatNet" : "MLPNet"
                    accuracy.append(.init(name: name, color: colors[model]!, points: a, band: aBand, markers: true))
                    loss.append(.init(name: name, color: colors[model]!, points: l, band: lBand, markers: true))
                    if plan?.quick != true {
                        let paper = set.sizes.compactMap { s in PaperNumbers.results[s]?[model].map { (x: Double(s), y: $0.accuracy) } }
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
        if let gap = gapFigure() { out[Self.gapFigure] = gap }
        if let digit {
            for variant in FeatureVariant.allCases {
                let channels = FeatureExtractor(variant: variant).channels(of: Array(digit.pixels))
                out["features-\(variant.rawValue).svg"] = SVGChart.heatmaps(
                    title: "Feature channels of test digit \(digit.index) (a \(digit.label)), variant \(variant.rawValue)",
                    grids: zip(FeatureChannel.allCases, channels).map { (title: $0.name, values: $1) }, side: MNISTSplit.side)
            }
        }
        return out
    }

    /// Epochs since the start of training at (epoch, batch of that epoch).
    static func epochs(_ r: FinishedRun, _ epoch: Int, _ batch: Int) -> Double {
        Double(epoch - 1) + Double(batch) / Double(r.batchesPerEpoch)
    }

    /// Minor ticks of Figure 6's epoch axis: a round number of batches, about four per epoch.
    static func minorTickBatches(batchesPerEpoch: Int) -> Int {
        let step = Double(batchesPerEpoch) / 4
        let power = pow(10, floor(log10(max(step, 1))))
        return Int(([1.0, 2, 5, 10].map { $0 * power }.last { $0 <= step } ?? power))
    }

    static let gapFigure = "fig-gap.svg"

    /// StatNet − MLPNet test accuracy against training images, per preset: the mean paired
    /// difference with its 95% interval as a band, the zero line, the paper's gaps as points.
    func gapFigure() -> String? {
        guard set.sizes.count > 1 else { return nil }
        var series: [SVGChart.Series] = []
        let colours: [Preset: String] = [.paper: SVGChart.palette[0], .physics: SVGChart.palette[1]]
        for preset in set.presets {
            var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
            for size in set.sizes {
                guard let d = RunSet.paired(set.comparison(preset, .statnet, size: size), set.comparison(preset, .mlpnet, size: size), \.testAccuracy)
                else { continue }
                points.append((Double(size), 100 * d.mean))
                if let lo = d.low, let hi = d.high { band.append((Double(size), 100 * lo, 100 * hi)) }
            }
            series.append(.init(name: "\(preset.rawValue) preset (mean, 95% CI)", color: colours[preset] ?? SVGChart.palette[2], points: points, band: band, markers: true))
        }
        let xs = set.sizes.map(Double.init)
        series.append(.init(name: "zero", color: "#555555", points: [(xs.min()!, 0), (xs.max()!, 0)], dashed: true))
        if plan?.quick != true {
            let paper = set.sizes.compactMap { s -> (x: Double, y: Double)? in
                guard let e = PaperNumbers.results[s], let st = e[.statnet], let ml = e[.mlpnet] else { return nil }
                return (Double(s), 100 * (st.accuracy - ml.accuracy))
            }
            series.append(.init(name: "paper (one run each)", color: SVGChart.palette[4], points: paper, markers: true))
        }
        return SVGChart.render(title: "StatNet − MLPNet test accuracy against training images; a band above zero favours StatNet",
                               panels: [.init(title: "Difference in test accuracy", xLabel: "training images (log scale)",
                                              yLabel: "StatNet − MLPNet (percentage points)", series: series, logX: true)],
                               columns: 1, panelWidth: 720, panelHeight: 400)
    }
}
