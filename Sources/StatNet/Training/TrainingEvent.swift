/// What the training loop reports; observers (progress line, metrics logs) act on these and
/// stay outside the loop.
public enum TrainingEvent: Sendable {
    /// Training (re)starts after `completedEpochs` epochs.
    case started(config: TrainingConfig, completedEpochs: Int, batchesPerEpoch: Int)
    /// After every batch: the running means since the epoch began.
    case batchEnded(BatchProgress)
    /// Every `logEvery` batches (and after an epoch's last batch): a training-log row.
    case logged(TrainLogRow)
    case epochEnded(EpochSummary)
    case finished(TrainingResult)
}

public struct BatchProgress: Sendable {
    public let epoch: Int, epochs: Int
    public let batch: Int, batchesPerEpoch: Int
    public let runningLoss: Double, runningAccuracy: Double
    public let imagesPerSecond: Double
    /// Seconds left for the whole run at the current speed.
    public let secondsLeft: Double
}

/// One row of `train_log.csv`. `seen` counts training images since the run began.
public struct TrainLogRow: Sendable, Equatable {
    public let epoch: Int, batch: Int, seen: Int
    public let trainLoss: Double, trainAccuracy: Double
}

/// One row of `epochs.csv`.
public struct EpochSummary: Sendable, Equatable {
    public let epoch: Int
    public let trainLoss: Double, trainAccuracy: Double
    public let validationLoss: Double, validationAccuracy: Double
    public let seconds: Double
}

/// Receives the training loop's events (a progress line, the metrics logs, a test's hook).
public protocol TrainingObserver: AnyObject {
    func handle(_ event: TrainingEvent) throws
}
