/// The whole plan's time, for the progress line of each run of a reproduction: elapsed since
/// the runner started, and the time left, from the measured seconds per training image of the
/// runs this process trained (evaluation and checkpoints included), or before the first one
/// ends, from the current run's own estimate scaled by the images left.
public final class PlanClock: ExperimentObserver, @unchecked Sendable {
    private var start: UInt64?
    private var progress: PlanProgress?
    private var runImages = 0

    public init() {}

    public var elapsedSeconds: Double { start.map { MonotonicClock.seconds(since: $0) } ?? 0 }

    /// The plan's time left while a run whose own time left is `runSecondsLeft` trains.
    public func secondsLeft(runSecondsLeft: Double) -> Double? {
        guard let progress else { return nil }
        let afterThisRun = progress.imagesTotal - progress.imagesDone - runImages
        if let left = progress.secondsLeft, progress.imagesTotal > progress.imagesDone {
            // Measured seconds per image, times the images after this run, plus this run's own estimate.
            let perImage = left / Double(progress.imagesTotal - progress.imagesDone)
            return runSecondsLeft + perImage * Double(afterThisRun)
        }
        return runImages > 0 ? runSecondsLeft * Double(progress.imagesTotal - progress.imagesDone) / Double(runImages) : nil
    }

    public func handle(_ event: ExperimentEvent) {
        switch event {
        case .started:
            start = MonotonicClock.now
        case let .runStarted(_, _, spec, progress):
            self.progress = progress
            runImages = spec.config.trainSize * spec.config.epochs
        default:
            break
        }
    }
}
