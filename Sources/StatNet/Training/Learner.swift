/// A network with its parameters, gradients, optimiser and buffers: what one training step
/// needs. A class, so the 13 MB parameter arrays are never copied by accident. Not for
/// sharing between threads: a step mutates all of it (the step itself spreads the branches
/// over cores).
public final class Learner<S: NetworkScalar> {
    public let network: FourBranchNetwork
    /// Any change here outside a step makes the next forward pass compute the folded
    /// normalisation's `offset Wt` afresh.
    public var parameters: [S] { didSet { offsetProductsMatchParameters = false } }
    public var gradients: [S]
    public var adam: Adam<S>
    public let workspace: NetworkWorkspace<S>
    /// Cores the branches are spread over (BLAS itself runs single-threaded inside each; see
    /// `TrainingEnvironment`).
    public let threads: Int
    /// The features' normalisation, applied inside the network (nil: the features as given).
    public let normalisation: InputNormalisation<S>?
    /// Dense or sparse first layers (tests and benchmarks force one).
    public var firstLayerPolicy = FirstLayerPolicy.automatic
    /// Whether `gradients` holds every gradient after a step (tests read them). Training turns
    /// it off: the first layers' weight gradients, 13 MB a step, then pass block by block
    /// through a buffer that stays in cache on their way to the optimiser (see
    /// `FourBranchNetwork.backward`); the parameters come out the same.
    public var keepsAllGradients = true
    /// Whether `parameters` are what the last `backwardUpdate` left, so the `offset Wt` it kept
    /// in the workspace is current.
    private var offsetProductsMatchParameters = false

    /// - Parameters:
    ///   - normalisation: applied by the network to the raw features it is given.
    public init(network: FourBranchNetwork, parameters: [S], adam: Adam<S>, batchCapacity: Int, threads: Int, dropoutSeed: UInt64,
                normalisation: InputNormalisation<S>? = nil) {
        precondition(parameters.count == network.parameterCount)
        self.network = network
        self.parameters = parameters
        gradients = [S](repeating: 0, count: network.parameterCount)
        self.adam = adam
        workspace = NetworkWorkspace(shape: network.shape, capacity: batchCapacity, dropoutSeed: dropoutSeed)
        self.threads = max(1, threads)
        self.normalisation = normalisation
    }

    /// One training step on a batch: `forwardLoss`, then `backwardUpdate`.
    /// `features` is channel-major `[4][batch][inputCount]`. Returns the summed loss and the
    /// number of correct predictions (before the update).
    @discardableResult
    @_specialize(exported: true, where S == Float)
    public func step(features: UnsafePointer<S>, labels: UnsafePointer<UInt8>, batch: Int) -> (lossSum: Double, correct: Int) {
        let result = forwardLoss(features: features, labels: labels, batch: batch)
        backwardUpdate(features: features, batch: batch)
        return result
    }

    /// Forward with dropout and softmax cross-entropy; leaves the loss gradient in
    /// `workspace.gradLogits` for `backwardUpdate`.
    @discardableResult
    @_specialize(exported: true, where S == Float)
    public func forwardLoss(features: UnsafePointer<S>, labels: UnsafePointer<UInt8>, batch: Int) -> (lossSum: Double, correct: Int) {
        forward(features: features, labels: labels, batch: batch, training: true)
    }

    /// Backward after `forwardLoss`, and Adam: each block of parameters is updated on its
    /// branch's core as soon as its gradient is done, while the other cores still work.
    @_specialize(exported: true, where S == Float)
    public func backwardUpdate(features: UnsafePointer<S>, batch: Int) {
        let net = network, ws = workspace, threads = threads, keep = keepsAllGradients
        adam.step += 1
        let k = adam.constants
        FloatEnvironment.withDenormalsFlushed {
            parameters.withUnsafeMutableBufferPointer { p in
                gradients.withUnsafeMutableBufferPointer { g in
                    adam.withMoments { m, v in
                        let (p, g) = (p.baseAddress!, g.baseAddress!)
                        net.backward(parameters: p, features: features, batch: batch, workspace: ws, gradients: g, threads: threads,
                                     normalisation: normalisation, keepFirstLayerWeightGradients: keep,
                                     keepOffsetProducts: true) { range, gradientsOfRange in
                            Adam.update(range, constants: k, parameters: p, gradientsOfRange: gradientsOfRange, m: m, v: v)
                        }
                        Adam.update(net.neck.bias.range, constants: k, parameters: p, gradients: g, m: m, v: v)
                    }
                }
            }
        }
        offsetProductsMatchParameters = true   // after the access to `parameters` above has ended
    }

    /// Forward without dropout; the logits are left in `workspace.logits`. Returns the summed
    /// loss and the number of correct predictions.
    @discardableResult
    @_specialize(exported: true, where S == Float)
    public func evaluate(features: UnsafePointer<S>, labels: UnsafePointer<UInt8>, batch: Int) -> (lossSum: Double, correct: Int) {
        forward(features: features, labels: labels, batch: batch, training: false)
    }

    /// Forward and loss; in training with dropout and the loss gradient.
    @inline(__always)
    private func forward(features: UnsafePointer<S>, labels: UnsafePointer<UInt8>, batch: Int, training: Bool) -> (lossSum: Double, correct: Int) {
        FloatEnvironment.withDenormalsFlushed {
            parameters.withUnsafeBufferPointer { p in
                network.forward(parameters: p.baseAddress!, features: features, batch: batch, training: training, workspace: workspace,
                                threads: threads, normalisation: normalisation, policy: firstLayerPolicy,
                                useKeptOffsetProducts: offsetProductsMatchParameters)
            }
            return SoftmaxCrossEntropy.forwardBackward(logits: workspace.logits.baseAddress!, labels: labels, batch: batch,
                                                       classes: network.shape.classCount, gradient: training ? workspace.gradLogits.baseAddress! : nil)
        }
    }
}
