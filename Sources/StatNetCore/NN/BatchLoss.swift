/// What a forward pass reports of a batch: the sum of the per-image cross-entropies and the
/// number of images whose largest logit is their label.
public struct BatchLoss: Sendable, Equatable {
    public var lossSum: Double
    public var correct: Int

    public init(lossSum: Double, correct: Int) {
        self.lossSum = lossSum
        self.correct = correct
    }
}
