/// The paper's published test results (EXPERIMENTS.md): accuracy as a fraction and the
/// paper-scaled loss, by training-set size and model. The 55,000 row is Table 1.
public enum PaperNumbers {
    public struct Entry: Codable, Equatable, Sendable {
        public let accuracy: Double
        public let paperScaledLoss: Double
    }

    /// Experiment 1's training images: the row of `results` that is Table 1.
    public static let fullTrainSize = 55_000

    public static let results: [Int: [ModelKind: Entry]] = [
        100: [.mlpnet: Entry(accuracy: 0.7247, paperScaledLoss: 0.414172), .statnet: Entry(accuracy: 0.7643, paperScaledLoss: 0.148356)],
        500: [.mlpnet: Entry(accuracy: 0.8598, paperScaledLoss: 0.147488), .statnet: Entry(accuracy: 0.8748, paperScaledLoss: 0.042105)],
        1_000: [.mlpnet: Entry(accuracy: 0.8838, paperScaledLoss: 0.112205), .statnet: Entry(accuracy: 0.8971, paperScaledLoss: 0.022027)],
        5_000: [.mlpnet: Entry(accuracy: 0.9247, paperScaledLoss: 0.056688), .statnet: Entry(accuracy: 0.9370, paperScaledLoss: 0.007350)],
        10_000: [.mlpnet: Entry(accuracy: 0.9521, paperScaledLoss: 0.026235), .statnet: Entry(accuracy: 0.9550, paperScaledLoss: 0.004028)],
        30_000: [.mlpnet: Entry(accuracy: 0.9520, paperScaledLoss: 0.008682), .statnet: Entry(accuracy: 0.9707, paperScaledLoss: 0.002041)],
        55_000: [.mlpnet: Entry(accuracy: 0.9455, paperScaledLoss: 0.007593), .statnet: Entry(accuracy: 0.9752, paperScaledLoss: 0.001943)],
    ]
}
