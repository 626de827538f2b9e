/// The live progress line of a training run on a terminal, as tqdm and Keras users know it:
/// a bar with the percentage, the time left for the run, the speed, the running loss and
/// accuracy and, in a reproduction, where the whole plan is. It always fits the terminal's
/// width (a wrapped line cannot be redrawn in place): fields are dropped, least useful first,
/// and the bar shrinks, until it does.
struct ProgressLine: Sendable, Equatable {
    /// In a reproduction: this run's place in the list, and its id.
    var run: (index: Int, count: Int, id: String)?
    var epoch = 1, epochs = 1
    var batch = 0, batchesPerEpoch = 1
    var loss = 0.0, accuracy = 0.0
    var imagesPerSecond = 0.0
    /// Seconds left for this run, and for the whole plan (nil when not known yet).
    var runSecondsLeft: Double?
    var plan: (elapsedSeconds: Double, secondsLeft: Double?)?

    init() {}

    static func == (a: ProgressLine, b: ProgressLine) -> Bool { a.render(width: 200) == b.render(width: 200) }

    /// The fraction of this run done.
    var fraction: Double {
        let total = Double(max(1, epochs * batchesPerEpoch))
        return min(1, max(0, (Double((epoch - 1) * batchesPerEpoch + batch)) / total))
    }

    /// The line, at most `width - 1` characters (the last column stays free: some terminals
    /// wrap when it is written).
    func render(width: Int) -> String {
        let limit = max(20, width - 1)
        let prefix = run.map { "[\($0.index)/\($0.count)]" }
        let epochText = "ep \(epoch)/\(epochs)"
        let percent = String(format: "%3.0f%%", 100 * fraction)
        // Optional fields, most useful first.
        var optional: [String] = []
        if let left = runSecondsLeft { optional.append("run left \(ProgressPrinter.duration(left))") }
        if let plan {
            optional.append("plan \(run.map { "\($0.index)/\($0.count) " } ?? "")\(ProgressPrinter.duration(plan.elapsedSeconds)) in"
                            + (plan.secondsLeft.map { ", left \(ProgressPrinter.duration($0))" } ?? ""))
        }
        optional.append(String(format: "%.0f img/s", imagesPerSecond))
        optional.append(String(format: "loss %.4f acc %.2f%%", loss, 100 * accuracy))
        if let run { optional.append(run.id) }
        func line(barWidth: Int, fields: [String]) -> String {
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            let bar = "|" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "|"
            return ([prefix, epochText, bar, percent].compactMap { $0 } + fields).joined(separator: " ")
        }
        // As many fields as fit with a bar of at least 10, then widen the bar into what is left.
        var fields: [String] = []
        for field in optional where line(barWidth: 10, fields: fields + [field]).count <= limit { fields.append(field) }
        var barWidth = 10
        while barWidth < 30, line(barWidth: barWidth + 1, fields: fields).count <= limit { barWidth += 1 }
        let text = line(barWidth: barWidth, fields: fields)
        return text.count <= limit ? text : String(text.prefix(limit))
    }
}
