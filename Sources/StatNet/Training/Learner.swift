/// A network with its parameters, gradients, optimiser and buffers: what one training step
/// needs. A class, so the 13 MB parameter arrays are never copied by accident.
public final class Learner<S: NetworkScalar>: @unchecked Sendable {
    public let network: FourBranchNetwork
    public var parameters: [S]
    public var gradients: [S]
    public var adam: Adam<S>
    public let workspace: NetworkWorkspace<S>
    /// Cores the branches are spread over (BLAS itself runs single-threaded inside each).
    public let threads: Int
    /// Where the time of `step` went, accumulated (for `statnet bench train`).
    public var timings = StepTimings()
    /// Per-branch optimiser nanoseconds of the current step (each branch's core writes its own).
    private let optimiserNanos: UnsafeMutablePointer<UInt64>

    public init(network: FourBranchNetwork, parameters: [S], adam: Adam<S>, batchCapacity: Int, threads: Int, dropoutSeed: UInt64) {
        precondition(parameters.count == network.parameterCount)
        self.network = network
        self.parameters = parameters
        gradients = [S](repeating: 0, count: network.parameterCount)
        self.adam = adam
        workspace = NetworkWorkspace(shape: network.shape, capacity: batchCapacity, dropoutSeed: dropoutSeed)
        self.threads = max(1, threads)
        optimiserNanos = .allocate(capacity: network.shape.branchCount)
        optimiserNanos.initialize(repeating: 0, count: network.shape.branchCount)
    }

    deinit { optimiserNanos.deallocate() }

    /// One training step on a batch: forward with dropout, softmax cross-entropy, backward, and
    /// Adam, each branch updated on its own core as soon as its gradients are done.
    /// `features` is channel-major `[4][batch][inputCount]`. Returns the summed loss and the
    /// number of correct predictions (before the update).
    @discardableResult
    @_specialize(exported: true, where S == Float)
    public func step(features: UnsafePointer<S>, labels: UnsafePointer<UInt8>, batch: Int) -> (lossSum: Double, correct: Int) {
        let net = network, ws = workspace
        FloatEnvironment.flushDenormals()
        adam.step += 1
        let k = adam.constants
        return parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                adam.withMoments { m, v in
                    let (p, g) = (p.baseAddress!, g.baseAddress!)
                    let start = Clock.now
                    net.forward(parameters: p, features: features, batch: batch, training: true, workspace: ws, threads: threads)
                    let result = SoftmaxCrossEntropy.forwardBackward(logits: ws.logits, labels: labels, batch: batch,
                                                                     classes: net.shape.classCount, gradient: ws.gradLogits)
                    let forwardEnd = Clock.now
                    let optimiserNanos = self.optimiserNanos
                    net.backward(parameters: p, features: features, batch: batch, workspace: ws, gradients: g, threads: threads) { i in
                        let t0 = Clock.now
                        for range in net.parameterRanges(ofBranch: i) {
                            Adam.update(range, constants: k, parameters: p, gradients: g, m: m, v: v)
                        }
                        optimiserNanos[i] = Clock.now - t0
                    }
                    Adam.update(net.neck.bias.range, constants: k, parameters: p, gradients: g, m: m, v: v)
                    let end = Clock.now
                    timings.forward += Clock.seconds(forwardEnd - start)
                    timings.backward += Clock.seconds(end - forwardEnd)
                    timings.optimiserCoreSeconds += (0..<net.shape.branchCount).reduce(0.0) { $0 + Clock.seconds(optimiserNanos[$1]) }
                    timings.steps += 1
                    return result
                }
            }
        }
    }

    /// Forward without dropout; the logits are left in `workspace.logits`. Returns the summed
    /// loss and the number of correct predictions.
    @discardableResult
    @_specialize(exported: true, where S == Float)
    public func evaluate(features: UnsafePointer<S>, labels: UnsafePointer<UInt8>, batch: Int) -> (lossSum: Double, correct: Int) {
        FloatEnvironment.flushDenormals()
        parameters.withUnsafeBufferPointer { p in
            network.forward(parameters: p.baseAddress!, features: features, batch: batch, training: false, workspace: workspace, threads: threads)
        }
        return SoftmaxCrossEntropy.forwardBackward(logits: workspace.logits, labels: labels, batch: batch,
                                                   classes: network.shape.classCount, gradient: nil)
    }
}

/// Accumulated time of training steps.
public struct StepTimings: Sendable {
    public var steps = 0
    /// Wall seconds computing the batches' features (recorded by `Trainer.trainBatch`).
    public var features = 0.0
    /// Wall seconds of forward + loss.
    public var forward = 0.0
    /// Wall seconds of backward, which includes the optimiser fused into it.
    public var backward = 0.0
    /// Seconds the optimiser took, summed over the cores that ran it (inside `backward`).
    public var optimiserCoreSeconds = 0.0
    public init() {}
}

/// A monotonic nanosecond clock.
public enum Clock {
    @inline(__always) public static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    @inline(__always) public static func seconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e9 }
}

import Dispatch
