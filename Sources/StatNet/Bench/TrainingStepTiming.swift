/// Where the time of a training step goes, measured on real batches (`statnet bench train`):
/// the features, the forward pass with the loss, the backward pass with the optimiser fused
/// into it, and, measured apart on one core, one optimiser pass over all parameters.
public struct TrainingStepTiming: Sendable {
    public let steps: Int
    public let images: Int
    /// Wall seconds per step, all of it (batch sampling, features, forward, backward).
    public let stepSeconds: Double
    public let featureSeconds: Double
    public let forwardSeconds: Double
    /// Backward with the fused optimiser.
    public let backwardSeconds: Double
    /// One Adam pass over all parameters on one core (the optimiser's share of the work).
    public let optimiserCoreSeconds: Double
    /// Per branch: the mean density (non-zero fraction) of its input channel over the timed
    /// steps, and the fraction of those steps whose first layer went sparse.
    public let branchDensity: [Double]
    public let branchSparseFraction: [Double]
    public var imagesPerSecond: Double { Double(images) / (stepSeconds * Double(steps)) }

    /// Times `steps` steps of `trainer` after `warmUpSteps` untimed ones (the trainer's
    /// parameters change: use a trainer made for the benchmark). Call inside
    /// `TrainingEnvironment.run`.
    /// Throws `StopRequest.Stopped` between steps once a stop is asked for.
    public static func measure(_ trainer: Trainer, warmUpSteps: Int, steps: Int) throws -> TrainingStepTiming {
        var sampler = trainer.sampler
        var order = sampler.epochOrder(), next = 0
        let trainingStep = trainer.step, network = trainer.network
        var features = 0.0, forward = 0.0, backward = 0.0, images = 0
        let branches = network.architecture.branchChannels
        var density = [Double](repeating: 0, count: branches.count), sparse = density
        func step(timed: Bool) throws {
            try StopRequest.check()
            if next == sampler.batchesPerEpoch { order = sampler.epochOrder(); next = 0 }
            let indices = sampler.batch(next, of: order)
            next += 1
            let t0 = MonotonicClock.now
            trainer.fillBatch(indices)
            let t1 = MonotonicClock.now
            _ = trainingStep.forward(batch: trainer.batch)
            let t2 = MonotonicClock.now
            trainingStep.backwardAndUpdate()
            let t3 = MonotonicClock.now
            if timed {
                features += MonotonicClock.seconds(t1 - t0)
                forward += MonotonicClock.seconds(t2 - t1)
                backward += MonotonicClock.seconds(t3 - t2)
                images += indices.count
                for (i, channel) in branches.enumerated() {
                    density[i] += network.channelDensity[channel]
                    sparse[i] += network.sparseChannel[channel] ? 1 : 0
                }
            }
        }
        for _ in 0..<warmUpSteps { try step(timed: false) }
        let start = MonotonicClock.now
        for _ in 0..<steps { try step(timed: true) }
        let total = MonotonicClock.seconds(since: start)
        let n = Double(steps)
        return TrainingStepTiming(steps: steps, images: images, stepSeconds: total / n, featureSeconds: features / n,
                                  forwardSeconds: forward / n, backwardSeconds: backward / n,
                                  optimiserCoreSeconds: optimiserPass(parameterCount: network.architecture.parameterCount),
                                  branchDensity: density.map { $0 / n }, branchSparseFraction: sparse.map { $0 / n })
    }

    /// Seconds of one Adam pass over `parameterCount` parameters on this core (best of 10).
    static func optimiserPass(parameterCount n: Int) -> Double {
        var p = [Float](repeating: 0.01, count: n), m = [Float](repeating: 0, count: n), v = [Float](repeating: 0, count: n)
        let g = [Float](repeating: 0.001, count: n)
        var adam = Adam<Float>(parameterCount: 0)
        adam.step = 1
        let k = adam.constants
        var best = Double.infinity
        FloatEnvironment.withDenormalsFlushed {
            p.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        g.withUnsafeBufferPointer { g in
                            for _ in 0..<10 {
                                let t = MonotonicClock.now
                                Adam.update(0..<n, constants: k, parameters: p.baseAddress!, gradients: g.baseAddress!, m: m.baseAddress!, v: v.baseAddress!)
                                best = min(best, MonotonicClock.seconds(since: t))
                            }
                        }
                    }
                }
            }
        }
        return best
    }
}
