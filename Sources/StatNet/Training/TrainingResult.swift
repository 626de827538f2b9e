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

    /// Refuses numbers no run can produce (an accuracy outside [0, 1], a negative or non-finite
    /// loss, a negative count), so that a damaged `result.json` is reported, never shown as 500%.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func fraction(_ key: CodingKeys) throws -> Double {
            let value = try c.decode(Double.self, forKey: key)
            guard (0...1).contains(value) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue) \(value) is outside [0, 1]")
            }
            return value
        }
        func nonNegative(_ key: CodingKeys) throws -> Double {
            let value = try c.decode(Double.self, forKey: key)
            guard value >= 0, value.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue) \(value) is not a number 0 or more")
            }
            return value
        }
        func count(_ key: CodingKeys) throws -> Int {
            let value = try c.decode(Int.self, forKey: key)
            guard value >= 0 else { throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue) \(value) is negative") }
            return value
        }
        self.init(testAccuracy: try fraction(.testAccuracy), testLoss: try nonNegative(.testLoss),
                  testLossPaperScaled: try nonNegative(.testLossPaperScaled), testCount: try count(.testCount),
                  validationAccuracy: try fraction(.validationAccuracy), validationLoss: try nonNegative(.validationLoss),
                  epochs: try count(.epochs), trainSeconds: try nonNegative(.trainSeconds), evaluationSeconds: try nonNegative(.evaluationSeconds),
                  imagesPerSecond: try nonNegative(.imagesPerSecond))
    }
}
