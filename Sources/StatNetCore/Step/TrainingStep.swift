/// One optimiser step of a network on a batch, in Float, as the trainer drives it: the forward
/// pass with the loss, then backward and the update. `ReferenceTrainingStep` does it plainly for
/// any `TrainableNetwork`; `FusedTrainingStep` does the four-branch model's faster, with the
/// same bits. The trainer holds one as `any TrainingStep` (one dynamic call per batch).
public protocol TrainingStep: AnyObject {
    /// The parameters the step trains, in the network's flat layout.
    var parameters: [Float] { get }
    var optimiser: Adam<Float> { get }
    var dropoutGenerators: [SplitMix64] { get }

    /// Forward with dropout and the loss, leaving what `backwardAndUpdate` needs.
    /// Returns the batch's summed loss and correct predictions (before the update).
    func forward(batch: FeatureBatch<Float>) -> BatchLoss
    /// Backward after `forward`, and one optimiser step.
    func backwardAndUpdate()
    /// Loss and correct predictions of `batch` with the current parameters, without dropout.
    func evaluate(batch: FeatureBatch<Float>) -> BatchLoss
    /// Continues from a checkpoint: parameters, the optimiser's moments and step, the generators.
    func restore(parameters: [Float], optimiser: Adam<Float>, dropoutGenerators: [SplitMix64])
    /// The learning rate from the next step on (a schedule, or a test that breaks a run).
    func setLearningRate(_ learningRate: Double)
}

extension TrainingStep {
    /// One whole step on `batch`: `forward`, then `backwardAndUpdate`.
    @discardableResult
    public func step(batch: FeatureBatch<Float>) -> BatchLoss {
        let loss = forward(batch: batch)
        backwardAndUpdate()
        return loss
    }
}

/// Which step trains a model: the fused one where the model has it, or the reference.
public enum TrainingStepKind: String, CaseIterable, Codable, Sendable {
    /// `FusedTrainingStep` for the four-branch models (the default; the reference for others).
    case fused
    /// `ReferenceTrainingStep`: forward, backward into every gradient, then Adam over all.
    case reference
}
