import Foundation

/// The report's SVG figures: Figure 6 (training curves) and Figure 7 (test results against
/// training-set size) per preset, and the feature channels of a test digit.
struct ReportFigures {
    let set: RunSet
    let plan: PlanInfo?
    let digit: ReportWriter.Digit?

    static func meanBand(_ series: [[(x: Double, y: Double)]]) -> (points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)]) {
        var byX: [Double: [Double]] = [:]
        for s in series { for p in s { byX[p.x, default: []].append(p.y) } }
        let xs = byX.keys.sorted()
        let points = xs.map { x in (x: x, y: byX[x]!.reduce(0, +) / Double(byX[x]!.count)) }
        let band = series.count > 1 ? xs.map { x in (x: x, low: byX[x]!.min()!, high: byX[x]!.max()!) } : []
        return (points, band)
    }

    func render() -> [String: String] {
        var out: [String: String] = [:]
        let colors: [ModelKind: String] = [.statnet: SVGChart.palette[1], .mlpnet: SVGChart.palette[0]]
        for preset in set.presets {
            guard let full = set.fullSize else { continue }
            var panels: [SVGChart.Panel] = []
            // (title, y label, markers, log y, values of one run)
            let specs: [(String, String, Bool, Bool, (FinishedRun) -> [(x: Double, y: Double)])] = [
                ("Training loss (log scale)", "running mean loss", false, true, { r in r.trainLog.map { (x: Double(self.batchIndex(r, $0.epoch, $0.batch)), y: $0.trainLoss) } }),
                ("Training accuracy", "running accuracy", false, false, { r in r.trainLog.map { (x: Double(self.batchIndex(r, $0.epoch, $0.batch)), y: $0.trainAccuracy) } }),
                ("Validation loss", "loss", true, false, { r in r.epochs.map { (x: Double(self.batchIndex(r, $0.epoch + 1, 0)), y: $0.validationLoss) } }),
                ("Validation accuracy", "accuracy", true, false, { r in r.epochs.map { (x: Double(self.batchIndex(r, $0.epoch + 1, 0)), y: $0.validationAccuracy) } }),
            ]
            for (title, yLabel, markers, logY, extract) in specs {
                var series: [SVGChart.Series] = []
                for model in ModelKind.allCases {
                    let runs = set.comparison(preset, model, size: full)
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

    /// Batches since the start of training at (epoch, batch of that epoch).
    func batchIndex(_ r: FinishedRun, _ epoch: Int, _ batch: Int) -> Int {
        let perEpoch = (r.spec.config.trainSize + r.spec.config.batchSize - 1) / r.spec.config.batchSize
        return (epoch - 1) * perEpoch + batch
    }
}
