/// A run's training-loss curve as its `train_log.csv` points give it: at each logged step (the
/// batches trained so far, over all epochs) the epoch's running mean training loss. The curve
/// between points is linear, and flat before the first; its area over the first `steps` steps,
/// divided by `steps`, is the mean training loss over them: the primary convergence measure
/// (a model that learns sooner has a smaller area).
public struct TrainingCurve: Codable, Equatable, Sendable {
    /// (step, running training loss), steps increasing.
    public let points: [Point]

    public struct Point: Codable, Equatable, Sendable {
        public let step: Int
        public let loss: Double
    }

    public init(points: [Point]) { self.points = points }

    /// From a run's log rows and its batches per epoch.
    public init(rows: [TrainLogRow], batchesPerEpoch: Int) {
        points = rows.map { Point(step: ($0.epoch - 1) * batchesPerEpoch + $0.batch, loss: $0.trainLoss) }
            .sorted { $0.step < $1.step }
    }

    /// The mean of the curve over steps [0, `steps`], or nil when the log does not reach them.
    public func meanLoss(overFirst steps: Int) -> Double? {
        guard steps > 0, let last = points.last, last.step >= steps, let first = points.first else { return nil }
        var area = Double(min(first.step, steps)) * first.loss
        for (a, b) in zip(points, points.dropFirst()) where a.step < steps {
            let end = min(b.step, steps)
            let lossAtEnd = a.loss + (b.loss - a.loss) * Double(end - a.step) / Double(b.step - a.step)
            area += Double(end - a.step) * (a.loss + lossAtEnd) / 2
        }
        return area / Double(steps)
    }
}
