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
