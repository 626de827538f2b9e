/// A four-branch model with its numbers: the reference network. Like llm.c's `GPT2` struct it
/// owns the parameters, their gradients and the activations of one pass, in flat buffers laid
/// out by `architecture.layout`; `forward(batch:training:)` leaves the loss gradient and
/// `backward()` writes every gradient from it. This is the code to learn the model from, and the
/// code the gradient checks and the PyTorch parity test run. Training goes faster through
/// `FusedTrainingStep`, which gives the same bits.
///
/// Two choices are values, not flags: `firstLayerPolicy` (each branch's first layer dense, or
/// sparse over the non-zero inputs, from the batch's own density), and `normalisation` (applied
/// to the raw features inside the network: explicitly on the dense path, folded into the first
/// layer on the sparse one, so that a mostly-zero channel stays sparse; see `InputNormalisation`).
/// Branches run on up to `threads` cores; no result depends on `threads`.
///
/// A class, so that the 13 MB parameter buffer is never copied by accident; not for two passes
/// at once.
public final class FourBranchNetwork<S: NetworkScalar>: TrainableNetwork {
    public let architecture: FourBranchArchitecture
    /// The flat parameter buffer (`architecture.layout`). Changed only through `setParameters`
    /// and `updateParameters`, each of which counts a new `parameterGeneration`.
    public internal(set) var parameters: [S]
    /// What `backward` wrote: dLoss/dParameter for the mean loss of the last training batch.
    public internal(set) var gradients: [S]
    /// Counts every change of `parameters`, so that anything computed from them (the fused
    /// step's kept products) can tell whether it is still current.
    public private(set) var parameterGeneration = 0
    /// The features' normalisation, applied inside the network (nil: the features as given).
    public let normalisation: InputNormalisation<S>?
    /// Dense or sparse first layers (tests and benchmarks force one).
    public var firstLayerPolicy = FirstLayerPolicy.automatic
    /// Cores the branches are spread over (BLAS runs single-threaded inside each).
    public let threads: Int
    let activations: FourBranchActivations<S>

    /// - Parameters:
    ///   - parameters: in `architecture.layout` (see `FourBranchArchitecture.initialParameters`).
    ///   - batchCapacity: the largest batch a pass takes.
    ///   - dropoutSeed: seeds each branch's dropout generator.
    ///   - normalisation: applied by the network to the raw features it is given.
    @_specialize(exported: true, where S == Float)
    public init(architecture: FourBranchArchitecture, parameters: [S], batchCapacity: Int, threads: Int, dropoutSeed: UInt64 = 0,
                normalisation: InputNormalisation<S>? = nil) {
        precondition(parameters.count == architecture.parameterCount, "\(architecture.parameterCount) parameters")
        precondition(normalisation.map { $0.length == architecture.shape.inputCount } ?? true, "a normalisation of the input's length")
        self.architecture = architecture
        self.parameters = parameters
        gradients = [S](repeating: 0, count: architecture.parameterCount)
        self.threads = max(1, threads)
        self.normalisation = normalisation
        activations = FourBranchActivations(shape: architecture.shape, capacity: batchCapacity, dropoutSeed: dropoutSeed)
    }

    public var layout: ParameterLayout { architecture.layout }
    public var batchCapacity: Int { activations.capacity }

    /// Replaces every parameter (a checkpoint restored, a user's edit).
    public func setParameters(_ values: [S]) {
        precondition(values.count == architecture.parameterCount, "\(architecture.parameterCount) parameters")
        parameterGeneration &+= 1
        parameters = values
    }

    /// The parameters and the gradients for an optimiser to update in place, counted as a change.
    /// The body must not reach `parameters` or `gradients` through the network meanwhile.
    public func updateParameters<R>(_ body: (UnsafeMutableBufferPointer<S>, UnsafeMutableBufferPointer<S>) throws -> R) rethrows -> R {
        parameterGeneration &+= 1
        return try parameters.withUnsafeMutableBufferPointer { p in try gradients.withUnsafeMutableBufferPointer { g in try body(p, g) } }
    }

    /// The branches' dropout generators (for checkpoints).
    public var dropoutGenerators: [SplitMix64] {
        get { Array(activations.dropoutGenerators) }
        set {
            precondition(newValue.count == activations.dropoutGenerators.count, "one generator per branch")
            for (i, g) in newValue.enumerated() { activations.dropoutGenerators[i] = g }
        }
    }

    /// The logits of the last forward pass, `[count][classes]` row by row.
    public var logits: [S] { Array(activations.logits.prefix(activations.batchCount * architecture.shape.classCount)) }

    /// The logits of image `row` of the last forward pass.
    public func logits(ofImage row: Int) -> [S] {
        precondition((0..<activations.batchCount).contains(row), "image \(row) of a batch of \(activations.batchCount)")
        let c = architecture.shape.classCount
        return Array(activations.logits[row * c..<(row + 1) * c])
    }

    /// The last forward pass's density of each channel (non-zero fraction) and whether it went sparse.
    public var channelDensity: [Double] { activations.channelDensity }
    public var sparseChannel: [Bool] { activations.sparseChannel }

    /// Forward pass: logits, then the softmax cross-entropy of `batch.labels`. In training with
    /// dropout, and leaving the gradient of the mean loss for `backward`.
    /// - Parameters:
    ///   - batch: `count` images, raw features channel-major (`normalisation` is applied here).
    @discardableResult
    @_specialize(exported: true, where S == Float)
    public func forward(batch: FeatureBatch<S>, training: Bool) -> BatchLoss {
        forward(batch: batch, training: training, keptOffsetProducts: nil)
    }

    /// The forward pass, with the folded bias's `offset Wt` of each branch that `kept` holds
    /// current for these parameters taken from it instead of computed (`FusedTrainingStep`).
    func forward(batch: FeatureBatch<S>, training: Bool, keptOffsetProducts kept: KeptOffsetProducts<S>?) -> BatchLoss {
        let n = batch.count
        precondition(batch.inputCount == architecture.shape.inputCount, "features of \(architecture.shape.inputCount) values")
        precondition((1...activations.capacity).contains(n), "a batch of 1...\(activations.capacity) images, not \(n)")
        let ws = activations, c = architecture.shape.classCount
        ws.batchCount = n
        ws.trained = training
        return FloatEnvironment.withDenormalsFlushed {
            batch.features.withUnsafeBufferPointer { prepareInputs(features: $0.baseAddress!, batch: n) }
            parameters.withUnsafeBufferPointer { p in
                parallelFor(architecture.shape.branchCount, threads: threads) { i in
                    let product = kept?.product(ofBranch: i, generation: parameterGeneration)
                    forwardBranch(i, batch: n, training: training, parameters: p.baseAddress!, keptOffsetProduct: product)
                }
                // logits = sum of the branch shares in branch order + bias (fixed order: reproducible).
                let logits = ws.logits
                for k in 0..<n * c { logits[k] = ws.partialLogits[0][k] }
                for i in 1..<architecture.shape.branchCount {
                    let part = ws.partialLogits[i]
                    for k in 0..<n * c { logits[k] += part[k] }
                }
                Kernels.addBias(logits, UnsafeBufferPointer(rebasing: p[architecture.neck.bias.range]), rows: n)
            }
            return batch.labels.withUnsafeBufferPointer { labels in
                SoftmaxCrossEntropy.forwardBackward(logits: ws.logits.baseAddress!, labels: labels.baseAddress!, batch: n, classes: c,
                                                    gradient: training ? ws.gradLogits.baseAddress! : nil)
            }
        }
    }

    /// For each channel some branch reads, one channel per core: its density in this batch
    /// (counted in the sparse builder's first pass), the dense-or-sparse choice, and then either
    /// its non-zero entries (sparse) or the input the dense layer reads (normalised, or a copy).
    func prepareInputs(features: UnsafePointer<S>, batch: Int) {
        let d = architecture.shape.inputCount, ws = activations, policy = firstLayerPolicy
        let channels = architecture.channelsRead
        // Each core writes its channels' decisions here; the activations' arrays are set after.
        let density = UnsafeMutableBufferPointer<Double>.allocate(capacity: FeatureChannel.count)
        let sparse = UnsafeMutableBufferPointer<Bool>.allocate(capacity: FeatureChannel.count)
        defer { density.deallocate(); sparse.deallocate() }
        density.initialize(repeating: 0)
        sparse.initialize(repeating: false)
        parallelFor(channels.count, threads: threads) { k in
            let channel = channels[k]
            let x = UnsafeBufferPointer(start: features + channel * batch * d, count: batch * d)
            let input = ws.sparseInputs[channel]
            density[channel] = Double(input.countNonZeros(of: x, rows: batch)) / Double(x.count)
            sparse[channel] = policy.usesSparse(density: density[channel])
            if sparse[channel] {
                if let normalisation {
                    normalisation.std.withUnsafeBufferPointer { std in
                        input.fill(from: x, divisor: UnsafeBufferPointer(rebasing: std[channel * d..<(channel + 1) * d]))
                    }
                } else {
                    input.fill(from: x, divisor: nil)
                }
            } else if let normalisation {
                // (x - mean) / std, as `Normaliser.apply` computes it.
                let out = ws.denseInputs[channel]
                normalisation.mean.withUnsafeBufferPointer { m in
                    normalisation.std.withUnsafeBufferPointer { s in
                        for r in 0..<batch {
                            for q in 0..<d { out[r * d + q] = (x[r * d + q] - m[channel * d + q]) / s[channel * d + q] }
                        }
                    }
                }
            } else {
                _ = ws.denseInputs[channel].update(fromContentsOf: x)
            }
        }
        ws.channelDensity = Array(density)
        ws.sparseChannel = Array(sparse)
    }

    /// Branch `i`: its first layer `[B, 784] -> [B, 1024]`, ReLU and dropout, and its share of the
    /// neck `[B, 1024] -> [B, 10]` into `partialLogits[i]`.
    @inline(__always)
    func forwardBranch(_ i: Int, batch: Int, training: Bool, parameters: UnsafePointer<S>, keptOffsetProduct: UnsafePointer<S>?) {
        let ws = activations, channel = architecture.branchChannels[i], layer = architecture.branches[i]
        let hidden = UnsafeMutableBufferPointer(rebasing: ws.hidden[i][0..<batch * architecture.shape.hiddenCount])
        if ws.sparseChannel[channel] {
            // y = (x / std) W + (b - (mean / std) W): only the non-zero inputs are touched.
            var bias = parameters + layer.bias.offset
            if let normalisation, normalisation.channelHasOffset[channel] {
                var product = keptOffsetProduct
                if product == nil {
                    let fresh = ws.offsetProducts[i]
                    fresh.initialize(repeating: 0)
                    normalisation.withOffset(channel: channel) { offset in
                        layer.accumulateOffsetProduct(rows: 0..<layer.inputCount, offset: offset, parameters: parameters, into: fresh)
                    }
                    product = UnsafePointer(fresh.baseAddress!)
                }
                let folded = ws.foldedBias[i].baseAddress!
                layer.foldedBias(offsetProduct: product!, parameters: parameters, into: folded)
                bias = UnsafePointer(folded)
            }
            layer.forwardSparse(ws.sparseInputs[channel], bias: bias, parameters: parameters,      // [B, 784] -> [B, 1024]
                                scratch: ws.paddedRows[i].baseAddress!, into: hidden.baseAddress!)
        } else {
            layer.forward(ws.denseInputs[channel].baseAddress!, batch: batch, parameters: parameters,   // [B, 784] -> [B, 1024]
                          into: hidden.baseAddress!)
        }
        architecture.activation.forward(hidden, training: training, rng: &ws.dropoutGenerators[i])
        architecture.neck.forwardBlock(hidden.baseAddress!, block: architecture.block(ofBranch: i), batch: batch,   // [B, 1024] -> [B, 10]
                                       parameters: parameters, into: ws.partialLogits[i].baseAddress!)
    }

    /// Backward pass after `forward(training: true)`: writes every gradient of the mean loss into
    /// `gradients`, each branch's on its own core.
    @_specialize(exported: true, where S == Float)
    public func backward() {
        precondition(activations.trained, "backward follows a training forward pass")
        let ws = activations, n = ws.batchCount, h = architecture.shape.hiddenCount, c = architecture.shape.classCount
        let neck = architecture.neck
        FloatEnvironment.withDenormalsFlushed {
            parameters.withUnsafeBufferPointer { p in
                gradients.withUnsafeMutableBufferPointer { g in
                    let (p, g) = (p.baseAddress!, g.baseAddress!)
                    Kernels.columnSums(UnsafeBufferPointer(rebasing: ws.gradLogits[0..<n * c]), rows: n,     // db_neck [10]
                                       into: UnsafeMutableBufferPointer(start: g + neck.bias.offset, count: c))
                    parallelFor(architecture.shape.branchCount, threads: threads) { i in
                        let channel = architecture.branchChannels[i], layer = architecture.branches[i]
                        let hidden = UnsafeBufferPointer(rebasing: ws.hidden[i][0..<n * h])
                        let dHidden = UnsafeMutableBufferPointer(rebasing: ws.gradHidden[i][0..<n * h])
                        backwardNeckBlock(i, batch: n, parameters: p, gradients: g, into: dHidden)
                        architecture.activation.backward(dHidden, output: hidden)
                        if ws.sparseChannel[channel] {
                            withNegatedOffset(ofChannel: channel) { negatedOffset in     // dWt [784, 1024]
                                layer.backwardParametersSparse(input: ws.sparseInputs[channel], gradOutput: dHidden.baseAddress!, batch: n,
                                                               negatedOffset: negatedOffset, scratch: ws.paddedRows[i].baseAddress!, gradients: g)
                            }
                        } else {
                            layer.backwardParameters(input: ws.denseInputs[channel].baseAddress!, gradOutput: dHidden.baseAddress!,   // dWt [784, 1024]
                                                     batch: n, gradients: g)
                        }
                    }
                }
            }
        }
    }

    /// Branch `i`'s block of the neck: its weight gradient `dWt_neck[block] = hidden_i^T dLogits`
    /// (`[1024, 10]`, into `gradients`) and the gradient of its output, `[B, 10] -> [B, 1024]`.
    @inline(__always)
    func backwardNeckBlock(_ i: Int, batch: Int, parameters: UnsafePointer<S>, gradients: UnsafeMutablePointer<S>,
                           into dHidden: UnsafeMutableBufferPointer<S>) {
        let neck = architecture.neck, block = architecture.block(ofBranch: i), dLogits = activations.gradLogits.baseAddress!
        neck.backwardBlockWeights(input: activations.hidden[i].baseAddress!, block: block, gradOutput: dLogits,
                                  batch: batch, gradients: gradients)
        neck.backwardBlockInput(gradOutput: dLogits, block: block, batch: batch, parameters: parameters, into: dHidden.baseAddress!)
    }

    /// `body` with channel `channel`'s `-mean / std` (`[in]`), or nil when the channel is not
    /// normalised or its means are all 0 (then the sparse weight gradient starts from 0).
    @inline(__always)
    func withNegatedOffset(ofChannel channel: Int, _ body: (UnsafePointer<S>?) -> Void) {
        guard let normalisation, normalisation.channelHasOffset[channel] else { return body(nil) }
        normalisation.withNegatedOffset(channel: channel, body)
    }
}
