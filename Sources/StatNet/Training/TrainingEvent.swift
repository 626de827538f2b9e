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

/// Loss and accuracy over a set of images. `paperScaledLoss` is the paper's "loss": the sum
/// of the per-batch mean losses (batches of 64) divided by the number of images.
public struct Evaluation: Sendable, Equatable, Codable {
    public let count: Int
    public let loss: Double
    public let paperScaledLoss: Double
    public let accuracy: Double
}

/// `result.json`.
public struct TrainingResult: Sendable, Equatable, Codable {
    public let testAccuracy: Double
    public let testLoss: Double
    public let testLossPaperScaled: Double
    public let testCount: Int
    public let validationAccuracy: Double
    public let validationLoss: Double
    public let epochs: Int
    public let trainSeconds: Double
    public let evaluationSeconds: Double
    public let imagesPerSecond: Double

    public init(testAccuracy: Double, testLoss: Double, testLossPaperScaled: Double, testCount: Int, validationAccuracy: Double,
                validationLoss: Double, epochs: Int, trainSeconds: Double, evaluationSeconds: Double, imagesPerSecond: Double) {
        self.testAccuracy = testAccuracy
        self.testLoss = testLoss
        self.testLossPaperScaled = testLossPaperScaled
        self.testCount = testCount
        self.validationAccuracy = validationAccuracy
        self.validationLoss = validationLoss
        self.epochs = epochs
        self.trainSeconds = trainSeconds
        self.evaluationSeconds = evaluationSeconds
        self.imagesPerSecond = imagesPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case testAccuracy = "test_acc", testLoss = "test_loss", testLossPaperScaled = "test_loss_paper_scaled"
        case testCount = "test_count", validationAccuracy = "val_acc", validationLoss = "val_loss", epochs
        case trainSeconds = "train_seconds", evaluationSeconds = "eval_seconds", imagesPerSecond = "images_per_s"
    }
}

public protocol TrainingObserver: AnyObject {
    func handle(_ event: TrainingEvent) throws
}

public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case nonFiniteLoss(epoch: Int, batch: Int, lastCheckpointEpoch: Int)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, last):
            "the training loss became NaN or infinite at epoch \(epoch), batch \(batch); training stopped. "
                + (last > 0 ? "The checkpoint of epoch \(last) is kept." : "No checkpoint had been written yet.")
                + " Try a lower learning rate or a normalisation (--normalize channel)."
        }
    }
}
