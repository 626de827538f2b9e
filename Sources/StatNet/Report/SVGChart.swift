import Foundation

/// Line charts and heatmaps as standalone SVG text: titles, axis labels, ticks, a legend,
/// and a shaded band for the spread over seeds. No plotting library runs on Linux; SVG is
/// text, diffable, and opens anywhere.
enum SVGChart {
    struct Series: Sendable {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
        /// Optional (x, low, high) band drawn under the line.
        var band: [(x: Double, low: Double, high: Double)] = []
        var markers = false
        /// A dashed line without markers (a reference line such as zero).
        var dashed = false

        init(name: String, color: String, points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)] = [],
                    markers: Bool = false, dashed: Bool = false) {
            self.name = name
            self.color = color
            self.points = points
            self.band = band
            self.markers = markers
            self.dashed = dashed
        }
    }

    struct Panel: Sendable {
        var title: String
        var xLabel: String
        var yLabel: String
        var series: [Series]
        var logX = false
        /// A log y axis, for losses that fall by orders of magnitude.
        var logY = false
        /// Short unlabelled ticks on the x axis (in data units), under the labelled ones.
        var xMinorTicks: [Double] = []
        /// Whether the panel draws its own legend (off when the figure has one).
        var showsLegend = true
        /// A fixed x range (so that panels of one figure share their axis); else the data's.
        var xRange: ClosedRange<Double>?

        init(title: String, xLabel: String, yLabel: String, series: [Series], logX: Bool = false, logY: Bool = false) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.series = series
            self.logX = logX
            self.logY = logY
        }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Coordinates to a tenth of a pixel, without a trailing ".0": finer is invisible and
    /// only makes the committed figures bigger.
    static func fmt(_ v: Double) -> String {
        var s = String(format: "%.1f", v)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s == "-0" ? "0" : s
    }

    /// At most one point per pixel column (the mean of the points that fall in it): a
    /// 20-epoch log has more points than a panel has pixels across.
    static func thinned(_ points: [(x: Double, y: Double)], column: (Double) -> Double) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        var key = Double.nan, sumX = 0.0, sumY = 0.0, n = 0.0
        for p in points {
            let k = column(p.x).rounded(.down)
            if k != key, n > 0 { out.append((sumX / n, sumY / n)); sumX = 0; sumY = 0; n = 0 }
            key = k
            sumX += p.x; sumY += p.y; n += 1
        }
        if n > 0 { out.append((sumX / n, sumY / n)) }
        return out
    }

    /// Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        var t = ceil(lo / step) * step, out: [Double] = []
        while t <= hi + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    /// 1, 2 and 5 times the powers of ten between 10^lo and 10^hi.
    static func logTicks(_ lo: Double, _ hi: Double) -> [Double] {
        var out: [Double] = []
        for e in Int(floor(lo))...Int(ceil(hi)) {
            for m in [1.0, 2, 5] {
                let v = m * pow(10, Double(e))
                if log10(v) >= lo - 1e-9 && log10(v) <= hi + 1e-9 { out.append(v) }
            }
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 10_000 { return String(format: "%.0fk", v / 1000) }
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        let s = String(format: "%.4g", v)
        return s
    }

    /// Panels laid out in `columns` columns under one title; with `legend`, one legend for the
    /// whole figure under the title instead of one per panel.
    static func render(title: String, panels: [Panel], columns: Int = 2, panelWidth: Double = 420, panelHeight: Double = 300,
                              legend: [Series] = []) -> String {
        let rows = (panels.count + columns - 1) / columns
        // "Title; subtitle": the part after the first semicolon goes on a second, smaller line.
        let parts = title.split(separator: ";", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let legendHeight = legend.isEmpty ? 0.0 : 22
        let head = (parts.count > 1 ? 58.0 : 40.0) + legendHeight
        let panels = legend.isEmpty ? panels : panels.map { var p = $0; p.showsLegend = false; return p }
        let width = Double(columns) * panelWidth, height = head + Double(rows) * panelHeight
        var svg = ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="Helvetica, Arial, sans-serif">"##
        svg += "\n" + ##"<rect width="100%" height="100%" fill="white"/>"##
        svg += "\n" + ##"<text x="\##(fmt(width / 2))" y="24" font-size="16" font-weight="bold" text-anchor="middle">\##(escape(parts[0]))</text>"##
        if parts.count > 1 {
            svg += "\n" + ##"<text x="\##(fmt(width / 2))" y="44" font-size="12" text-anchor="middle">\##(escape(parts[1]))</text>"##
        }
        if !legend.isEmpty {
            let y = head - legendHeight + 12
            let widths = legend.map { 34 + Double($0.name.count) * 6.5 }
            var lx = width / 2 - widths.reduce(0, +) / 2
            for series in legend {
                svg += "\n" + ##"<line x1="\##(fmt(lx))" y1="\##(fmt(y - 4))" x2="\##(fmt(lx + 18))" y2="\##(fmt(y - 4))" stroke="\##(series.color)" stroke-width="2.5"\##(series.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"##
                svg += ##"<text x="\##(fmt(lx + 23))" y="\##(fmt(y))" font-size="12">\##(escape(series.name))</text>"##
                lx += 34 + Double(series.name.count) * 6.5
            }
        }
        for (k, panel) in panels.enumerated() {
            let ox = Double(k % columns) * panelWidth, oy = head + Double(k / columns) * panelHeight
            svg += "\n" + drawPanel(panel, x: ox, y: oy, width: panelWidth, height: panelHeight)
        }
        return svg + "\n</svg>\n"
    }

    static func drawPanel(_ p: Panel, x ox: Double, y oy: Double, width: Double, height: Double) -> String {
        // The legend sits in a row under the x-axis label, clear of the data.
        let left = ox + 62, right = ox + width - 14, top = oy + 28, bottom = oy + height - 66
        let xsAll = p.series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }.filter { !p.logX || $0 > 0 }
        let ysAll = p.series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } }.filter { $0.isFinite && (!p.logY || $0 > 0) }
        guard var x0 = xsAll.min(), var x1 = xsAll.max(), var y0 = ysAll.min(), var y1 = ysAll.max() else {
            return ##"<text x="\##(fmt(ox + width / 2))" y="\##(fmt(oy + height / 2))" text-anchor="middle" font-size="13">\##(escape(p.title)): no data</text>"##
        }
        if let range = p.xRange { (x0, x1) = (range.lowerBound, range.upperBound) }
        if p.logX { x0 = log10(x0); x1 = log10(x1) }
        if p.logY { y0 = log10(y0); y1 = log10(y1) }
        if x1 == x0 { x0 -= 1; x1 += 1 }
        if y1 == y0 { y0 -= abs(y0) * 0.1 + 1e-6; y1 += abs(y1) * 0.1 + 1e-6 }
        let pad = (y1 - y0) * 0.05
        y0 -= pad
        y1 += pad
        func sx(_ x: Double) -> Double { left + ((p.logX ? log10(x) : x) - x0) / (x1 - x0) * (right - left) }
        // On a log axis a band's lower edge (mean - sd) can be 0 or negative: draw it at the bottom.
        func sy(_ y: Double) -> Double { bottom - ((p.logY ? max(log10(max(y, 1e-300)), y0) : y) - y0) / (y1 - y0) * (bottom - top) }
        var s = ##"<g>"##
        s += ##"<text x="\##(fmt((left + right) / 2))" y="\##(fmt(oy + 18))" font-size="14" font-weight="bold" text-anchor="middle">\##(escape(p.title))</text>"##
        s += ##"<rect x="\##(fmt(left))" y="\##(fmt(top))" width="\##(fmt(right - left))" height="\##(fmt(bottom - top))" fill="none" stroke="#444"/>"##
        let xTicks = p.logX ? logTicks(x0, x1) : ticks(x0, x1)
        for t in xTicks {
            let px = sx(t)
            s += ##"<line x1="\##(fmt(px))" y1="\##(fmt(top))" x2="\##(fmt(px))" y2="\##(fmt(bottom))" stroke="#ddd"/>"##
            s += ##"<text x="\##(fmt(px))" y="\##(fmt(bottom + 15))" font-size="11" text-anchor="middle">\##(label(t))</text>"##
        }
        for t in p.xMinorTicks where t >= (p.logX ? pow(10, x0) : x0) && t <= (p.logX ? pow(10, x1) : x1) {
            s += ##"<line x1="\##(fmt(sx(t)))" y1="\##(fmt(bottom))" x2="\##(fmt(sx(t)))" y2="\##(fmt(bottom + 3))" stroke="#888"/>"##
        }
        for t in p.logY ? logTicks(y0, y1) : ticks(y0, y1) {
            let py = sy(t)
            s += ##"<line x1="\##(fmt(left))" y1="\##(fmt(py))" x2="\##(fmt(right))" y2="\##(fmt(py))" stroke="#ddd"/>"##
            s += ##"<text x="\##(fmt(left - 5))" y="\##(fmt(py + 4))" font-size="11" text-anchor="end">\##(label(t))</text>"##
        }
        s += ##"<text x="\##(fmt((left + right) / 2))" y="\##(fmt(bottom + 34))" font-size="12" text-anchor="middle">\##(escape(p.xLabel))</text>"##
        s += ##"<text x="\##(fmt(ox + 14))" y="\##(fmt((top + bottom) / 2))" font-size="12" text-anchor="middle" transform="rotate(-90 \##(fmt(ox + 14)) \##(fmt((top + bottom) / 2)))">\##(escape(p.yLabel))</text>"##
        for series in p.series {
            if series.band.count > 1 {
                let highs = thinned(series.band.map { ($0.x, $0.high) }, column: sx), lows = thinned(series.band.map { ($0.x, $0.low) }, column: sx)
                let upper = highs.map { "\(fmt(sx($0.x))),\(fmt(sy($0.y)))" }
                let lower = lows.reversed().map { "\(fmt(sx($0.x))),\(fmt(sy($0.y)))" }
                s += ##"<polygon points="\##((upper + lower).joined(separator: " "))" fill="\##(series.color)" fill-opacity="0.18" stroke="none"/>"##
            }
            let pts = series.points.filter { $0.y.isFinite && (!p.logX || $0.x > 0) }
            if pts.count > 1 {
                s += ##"<polyline points="\##(thinned(pts, column: sx).map { "\(fmt(sx($0.x))),\(fmt(sy($0.y)))" }.joined(separator: " "))" fill="none" stroke="\##(series.color)" stroke-width="\##(series.dashed ? "1.2" : "1.8")"\##(series.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"##
            }
            if (series.markers || pts.count == 1) && !series.dashed {
                for q in pts { s += ##"<circle cx="\##(fmt(sx(q.x)))" cy="\##(fmt(sy(q.y)))" r="3" fill="\##(series.color)"/>"## }
            }
        }
        var lx = left
        for series in p.series where p.showsLegend {
            let ly = bottom + 52
            s += ##"<line x1="\##(fmt(lx))" y1="\##(fmt(ly - 4))" x2="\##(fmt(lx + 18))" y2="\##(fmt(ly - 4))" stroke="\##(series.color)" stroke-width="2.5"/>"##
            s += ##"<text x="\##(fmt(lx + 23))" y="\##(fmt(ly))" font-size="11">\##(escape(series.name))</text>"##
            lx += 34 + Double(series.name.count) * 6
        }
        return s + "</g>"
    }

    /// Square heatmaps (e.g. the four feature channels of a digit), each with its own colour
    /// scale from its minimum (dark) to its maximum (light), with the range printed beneath.
    static func heatmaps(title: String, grids: [(title: String, values: [Float])], side: Int, cell: Double = 7, columns: Int = 4) -> String {
        let panel = Double(side) * cell + 30
        let rows = (grids.count + columns - 1) / columns
        let width = Double(columns) * panel + 10, height = 44 + Double(rows) * (panel + 34)
        var svg = ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="Helvetica, Arial, sans-serif">"##
        svg += "\n" + ##"<rect width="100%" height="100%" fill="white"/>"##
        svg += "\n" + ##"<text x="\##(fmt(width / 2))" y="24" font-size="15" font-weight="bold" text-anchor="middle">\##(escape(title))</text>"##
        for (k, grid) in grids.enumerated() {
            let ox = 20 + Double(k % columns) * panel, oy = 50 + Double(k / columns) * (panel + 34)
            let lo = Double(grid.values.min() ?? 0), hi = Double(grid.values.max() ?? 1)
            svg += "\n" + ##"<text x="\##(fmt(ox + Double(side) * cell / 2))" y="\##(fmt(oy - 6))" font-size="12" text-anchor="middle">\##(escape(grid.title))</text>"##
            // One unit per cell; the darkest colour fills the panel and each row is drawn as
            // runs of equal colour, which keeps a figure a few tens of kilobytes.
            func fill(_ r: Int, _ c: Int) -> String {
                let v = Double(grid.values[r * side + c])
                return color(hi > lo ? (v - lo) / (hi - lo) : 0)
            }
            let background = color(0)
            svg += "\n" + ##"<g transform="translate(\##(fmt(ox)) \##(fmt(oy))) scale(\##(fmt(cell)))" shape-rendering="crispEdges">"##
            svg += ##"<rect width="\##(side)" height="\##(side)" fill="\##(background)"/>"##
            for r in 0..<side {
                var c = 0
                while c < side {
                    let colour = fill(r, c)
                    var end = c + 1
                    while end < side, fill(r, end) == colour { end += 1 }
                    if colour != background { svg += ##"<rect x="\##(c)" y="\##(r)" width="\##(end - c)" height="1" fill="\##(colour)"/>"## }
                    c = end
                }
            }
            svg += "</g>"
            svg += "\n" + ##"<text x="\##(fmt(ox + Double(side) * cell / 2))" y="\##(fmt(oy + Double(side) * cell + 16))" font-size="11" text-anchor="middle">\##(label(lo)) to \##(label(hi))</text>"##
        }
        return svg + "\n</svg>\n"
    }

    /// A dark-blue to yellow scale (viridis-like) for t in [0, 1].
    static func color(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        return String(format: "#%02x%02x%02x", Int(a.0 + (b.0 - a.0) * f), Int(a.1 + (b.1 - a.1) * f), Int(a.2 + (b.2 - a.2) * f))
    }
}
