import Foundation

/// Progress on stderr: on a terminal one updating line (epoch, batch, loss, accuracy, images/s,
/// time left); otherwise one plain line per epoch, so logs stay readable.
public final class ProgressPrinter: TrainingObserver {
    private let interactive: Bool
    private let label: String
    private var lastDraw: UInt64 = 0

    public init(label: String = "", interactive: Bool = isatty(2) != 0) {
        self.interactive = interactive
        self.label = label.isEmpty ? "" : label + " "
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }

    public func handle(_ event: TrainingEvent) throws {
        switch event {
        case let .started(config, done, batches):
            write("\(label)training \(config.model.rawValue) (\(config.features.rawValue) features, \(config.normalisation.rawValue) normalisation), "
                  + "\(config.trainSize) images, \(batches) batches x \(config.epochs) epochs, seed \(config.seed), \(config.threads) threads"
                  + (done > 0 ? ", resuming after epoch \(done)" : "") + "\n")
        case let .batchEnded(p):
            guard interactive else { return }
            let now = MonotonicClock.now
            guard now - lastDraw > 200_000_000 || p.batch == p.batchesPerEpoch else { return }
            lastDraw = now
            write(String(format: "\r\u{1B}[K%@epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %@",
                         label, p.epoch, p.epochs, p.batch, p.batchesPerEpoch, p.runningLoss, 100 * p.runningAccuracy,
                         p.imagesPerSecond, Self.duration(p.secondsLeft)))
        case let .epochEnded(e):
            write((interactive ? "\r\u{1B}[K" : "") + String(format: "%@epoch %d: train loss %.4f acc %.2f%%, validation loss %.4f acc %.2f%% (%.1f s)\n",
                                                            label, e.epoch, e.trainLoss, 100 * e.trainAccuracy, e.validationLoss, 100 * e.validationAccuracy, e.seconds))
        case let .finished(r):
            write(String(format: "%@test accuracy %.2f%%, loss %.4f (paper-scaled %.6f); %.0f s of training\n",
                         label, 100 * r.testAccuracy, r.testLoss, r.testLossPaperScaled, r.trainSeconds))
        case .logged:
            break
        }
    }
}
