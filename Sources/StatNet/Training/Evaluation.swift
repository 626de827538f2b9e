/// Loss and accuracy over a set of images. `paperScaledLoss` is the paper's "loss": the sum
/// of the per-batch mean losses (batches of 64) divided by the number of images.
public struct Evaluation: Sendable, Equatable, Codable {
    public let count: Int
    public let loss: Double
    public let paperScaledLoss: Double
    public let accuracy: Double
}
