/// The plain training step, for any `TrainableNetwork`: forward with the loss, backward into
/// every gradient, then one Adam pass over the whole parameter buffer. A new model trains
/// through it without further code; the four-branch models also have `FusedTrainingStep`,
/// which must give the same bits (tested).
public final class ReferenceTrainingStep<Network: TrainableNetwork> {
    public let network: Network
    public private(set) var optimiser: Adam<Network.Scalar>

    public init(network: Network, optimiser: Adam<Network.Scalar>) {
        precondition(optimiser.m.count == network.parameters.count, "one moment per parameter")
        self.network = network
        self.optimiser = optimiser
    }

    /// Forward in training mode: the loss, and its gradient left in the network.
    @discardableResult
    public func forward(batch: FeatureBatch<Network.Scalar>) -> BatchLoss {
        network.forward(batch: batch, training: true)
    }

    /// Every gradient, then Adam over all parameters.
    public func backwardAndUpdate() {
        network.backward()
        network.updateParameters { p, g in
            FloatEnvironment.withDenormalsFlushed { optimiser.update(parameters: p, gradients: UnsafeBufferPointer(g)) }
        }
    }

    /// One step: `forward`, then `backwardAndUpdate`. Returns the loss before the update.
    @discardableResult
    public func step(batch: FeatureBatch<Network.Scalar>) -> BatchLoss {
        let loss = forward(batch: batch)
        backwardAndUpdate()
        return loss
    }

    public func evaluate(batch: FeatureBatch<Network.Scalar>) -> BatchLoss {
        network.forward(batch: batch, training: false)
    }

    /// Continues from saved parameters, optimiser and generators.
    public func restore(parameters: [Network.Scalar], optimiser: Adam<Network.Scalar>, dropoutGenerators: [SplitMix64]) {
        precondition(optimiser.m.count == parameters.count, "one moment per parameter")
        network.setParameters(parameters)
        self.optimiser = optimiser
        network.dropoutGenerators = dropoutGenerators
    }

    public func setLearningRate(_ learningRate: Double) { optimiser.learningRate = learningRate }
}

extension ReferenceTrainingStep: TrainingStep where Network.Scalar == Float {
    public var parameters: [Float] { network.parameters }
    public var dropoutGenerators: [SplitMix64] { network.dropoutGenerators }
}
