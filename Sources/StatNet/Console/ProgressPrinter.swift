import Foundation

/// Progress on stderr. On a terminal one line redrawn in place (`ProgressLine`, fitted to the
/// terminal's width); otherwise plain lines, one per epoch, so logs stay readable.
///
/// `STATNET_PROGRESS=tty` or `=plain` overrides the terminal detection and `COLUMNS` the
/// width (for a captured screen, or a test).
public final class ProgressPrinter: TrainingObserver {
    private let interactive: Bool
    private let label: String
    private let startLabel: String
    private let run: (index: Int, count: Int, id: String)?
    private let showsResult: Bool
    /// The plan's progress in a reproduction (shared with the runner's observer).
    private let plan: PlanClock?
    private var lastDraw: UInt64 = 0
    private var line = ProgressLine()

    /// - Parameters:
    ///   - run: in a reproduction, this run's place and id (shown at the start of each line).
    ///   - plan: in a reproduction, the whole plan's clock, for its time left.
    ///   - showsResult: whether to print the test result at the end (`train` prints it on stdout).
    public init(run: (index: Int, count: Int, id: String)? = nil, plan: PlanClock? = nil, showsResult: Bool = true,
                interactive: Bool = ProgressPrinter.stderrIsTerminal) {
        self.interactive = interactive
        self.run = run
        self.plan = plan
        self.showsResult = showsResult
        // Logs get the run's id on every line (to grep); a terminal only its number, so that
        // lines fit 80 columns (the id is on the run's first line).
        label = run.map { interactive ? "[\($0.index)/\($0.count)] " : "[\($0.index)/\($0.count) \($0.id)] " } ?? ""
        startLabel = run.map { "[\($0.index)/\($0.count) \($0.id)] " } ?? ""
    }

    /// Whether stderr is a terminal (or `STATNET_PROGRESS` says to act as if it were).
    public static var stderrIsTerminal: Bool {
        switch ProcessInfo.processInfo.environment["STATNET_PROGRESS"] {
        case "tty": true
        case "plain": false
        default: isatty(2) != 0
        }
    }

    /// The terminal's width: `COLUMNS` when set, else the terminal's own, else 80.
    static var terminalWidth: Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    private func write(_ s: String) { StandardStream.error(s) }

    /// How often a log (stderr not a terminal) gets a progress line within an epoch.
    static let plainLineNanoseconds: UInt64 = 10_000_000_000

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }

    /// "1 epoch", "20 epochs".
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }

    public func handle(_ event: TrainingEvent) throws {
        switch event {
        case let .started(config, done, batches) where interactive && run != nil:
            // The run's id says the preset, model, size and seed; what is left fits a terminal line.
            write("\(startLabel)\(Self.count(batches, "batch", "batches")) x \(Self.count(config.epochs, "epoch"))"
                  + (done > 0 ? ", resuming after epoch \(done)" : "") + "\n")
        case let .started(config, done, batches):
            write("\(startLabel)training \(config.model.rawValue) (\(config.inputDescription)), "
                  + "\(Self.count(config.trainSize, "image")), \(Self.count(batches, "batch", "batches")) x \(Self.count(config.epochs, "epoch")), "
                  + "seed \(config.seed), \(Self.count(config.threads, "thread"))"
                  + (done > 0 ? ", resuming after epoch \(done)" : "") + "\n")
        case let .batchEnded(p) where !interactive:
            // A log (nohup, CI, a notebook) gets a plain line every few seconds inside a long epoch.
            let now = MonotonicClock.now
            if lastDraw == 0 { lastDraw = now }
            guard now - lastDraw >= Self.plainLineNanoseconds, p.batch < p.batchesPerEpoch else { return }
            lastDraw = now
            write(String(format: "%@epoch %d/%d: batch %d/%d, loss %.4f acc %.2f%%, %.0f images/s, %@ left\n", label, p.epoch, p.epochs,
                         p.batch, p.batchesPerEpoch, p.runningLoss, 100 * p.runningAccuracy, p.imagesPerSecond, Self.duration(p.secondsLeft)))
        case let .batchEnded(p):
            let now = MonotonicClock.now
            guard now - lastDraw > 200_000_000 || p.batch == p.batchesPerEpoch else { return }
            lastDraw = now
            line.run = run
            (line.epoch, line.epochs, line.batch, line.batchesPerEpoch) = (p.epoch, p.epochs, p.batch, p.batchesPerEpoch)
            (line.loss, line.accuracy, line.imagesPerSecond, line.runSecondsLeft) = (p.runningLoss, p.runningAccuracy, p.imagesPerSecond, p.secondsLeft)
            line.plan = plan.map { (elapsedSeconds: $0.elapsedSeconds, secondsLeft: $0.secondsLeft(runSecondsLeft: p.secondsLeft)) }
            write("\r\u{1B}[K" + line.render(width: Self.terminalWidth))
        case let .epochEnded(e) where interactive:
            write("\r\u{1B}[K" + String(format: "%@epoch %d: loss %.4f acc %.2f%%, validation %.4f %.2f%%, %.1f s\n",
                                         label, e.epoch, e.trainLoss, 100 * e.trainAccuracy, e.validationLoss, 100 * e.validationAccuracy, e.seconds))
        case let .epochEnded(e):
            write(String(format: "%@epoch %d: train loss %.4f acc %.2f%%, validation loss %.4f acc %.2f%% (%.1f s)\n",
                         label, e.epoch, e.trainLoss, 100 * e.trainAccuracy, e.validationLoss, 100 * e.validationAccuracy, e.seconds))
        case let .finished(r):
            guard showsResult else { return }
            write(String(format: "%@test accuracy %.2f%%, loss %.4f (paper-scaled %.6f), %.0f s training\n",
                         label, 100 * r.testAccuracy, r.testLoss, r.testLossPaperScaled, r.trainSeconds))
        case .logged:
            break
        }
    }
}
