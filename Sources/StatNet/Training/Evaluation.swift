/// Loss and accuracy over a set of images. `paperScaledLoss` is the paper's "loss": the sum
/// of the per-batch mean losses (batches of 64) divided by the number of images.
public struct Evaluation: Sendable, Equatable, Codable {
    public let count: Int
    public let loss: Double
    public let paperScaledLoss: Double
    public let accuracy: Double
}

extension Evaluation {
    /// Loss and accuracy of `evaluate` on images `indices` of `split`, in batches of `batchSize`
    /// (which the paper-scaled loss refers to), the features computed as in training.
    public static func measure(indices: [Int], of split: MNISTSplit, pipeline: FeaturePipeline, architecture: FourBranchArchitecture,
                               batchSize: Int, threads: Int, evaluate: (FeatureBatch<Float>) throws -> BatchLoss) rethrows -> Evaluation {
        try TrainingEnvironment.run {
            var batch = FeatureBatch<Float>(capacity: batchSize)
            var lossSum = 0.0, paperSum = 0.0, correct = 0
            for start in stride(from: 0, to: indices.count, by: batchSize) {
                let rows = indices[start..<min(start + batchSize, indices.count)]
                batch.fill(rows, from: split, pipeline: pipeline, runningChannels: architecture.readsRunningChannels, threads: threads)
                let r = try evaluate(batch)
                lossSum += r.lossSum
                paperSum += r.lossSum / Double(rows.count)
                correct += r.correct
            }
            let n = Double(max(indices.count, 1))
            return Evaluation(count: indices.count, loss: lossSum / n, paperScaledLoss: paperSum / n, accuracy: Double(correct) / n)
        }
    }
}
