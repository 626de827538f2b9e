/// The paper's two models (Keyork 2023, "StatNet", section 3; EXPERIMENTS.md).
///
/// Four parallel branches `Linear(784 -> 1024) -> ReLU -> Dropout(0.5)`, their outputs
/// concatenated (branch 0 first) into 4096 values, then `Linear(4096 -> 10)`.
/// - StatNet: branch i reads feature channel i (energy, level, entropy, mean energy).
/// - MLPNet: every branch reads channel 0: an ordinary 784-4096-10 MLP in four blocks.
///
/// Deviations from the paper's code, none of which changes the function computed: weights are
/// stored transposed; the concatenation is never materialised (see `Linear.forwardBlock`);
/// backward writes gradients instead of accumulating them.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    case statnet, mlpnet

    /// The feature channel branch `i` reads.
    public func channel(ofBranch i: Int) -> Int { self == .statnet ? i : 0 }
}

public struct ModelShape: Codable, Equatable, Sendable {
    public var inputCount: Int
    public var hiddenCount: Int
    public var classCount: Int
    /// One branch per feature channel.
    public let branchCount = FeatureChannel.count

    /// The paper's: 784 pixels in, 1024 hidden units per branch, 10 digits out.
    public static let paper = ModelShape(inputCount: MNISTSplit.pixelCount, hiddenCount: 1024, classCount: MNISTSplit.classCount)

    public init(inputCount: Int, hiddenCount: Int, classCount: Int) {
        self.inputCount = inputCount
        self.hiddenCount = hiddenCount
        self.classCount = classCount
    }

    enum CodingKeys: String, CodingKey { case inputCount, hiddenCount, classCount }
}

public struct FourBranchNetwork: Sendable, Equatable {
    public let kind: ModelKind
    public let shape: ModelShape
    public let layout: ParameterLayout
    public let branches: [Linear]
    public let neck: Linear
    /// Dropout probability after each branch (0.5 in the paper; 0 turns it off).
    public let dropout: Double
    /// The feature channel each branch reads: the kind's choice unless an ablation sets it.
    public let branchChannels: [Int]

    public init(kind: ModelKind, shape: ModelShape = .paper, dropout: Double = 0.5, branchChannels: [Int]? = nil) {
        precondition((0..<1).contains(dropout), "dropout must be in [0, 1)")
        self.kind = kind
        self.branchChannels = branchChannels ?? (0..<shape.branchCount).map(kind.channel(ofBranch:))
        precondition(self.branchChannels.count == shape.branchCount && self.branchChannels.allSatisfy { (0..<FeatureChannel.count).contains($0) },
                     "one channel in 0...3 per branch")
        self.shape = shape
        self.dropout = dropout
        var layout = ParameterLayout()
        branches = (0..<shape.branchCount).map {
            Linear(inputCount: shape.inputCount, outputCount: shape.hiddenCount, name: "branches.\($0)", layout: &layout)
        }
        neck = Linear(inputCount: shape.branchCount * shape.hiddenCount, outputCount: shape.classCount, name: "neck", layout: &layout)
        self.layout = layout
    }

    public var parameterCount: Int { layout.count }

    /// Whether some branch reads entropy or mean energy, the channels computed by running sums
    /// (MLPNet reads neither, so its batches skip them).
    public var readsRunningChannels: Bool { branchChannels.contains { $0 >= FeatureChannel.entropy.rawValue } }

    /// The neck's input columns that come from branch `i`.
    public func block(ofBranch i: Int) -> Range<Int> { i * shape.hiddenCount..<(i + 1) * shape.hiddenCount }

    /// Fresh parameters with PyTorch's default initialisation, layer by layer in order.
    public func initialParameters<S: NetworkScalar>(seed: UInt64) -> [S] {
        var values = [S](repeating: 0, count: parameterCount)
        var rng = SplitMix64(seed: seed)
        for layer in branches + [neck] { layer.initialise(&values, rng: &rng) }
        return values
    }

    /// Forward pass. `features`: channel-major `[4][batch][inputCount]`, as `FeatureExtractor`
    /// writes them (raw: `normalisation`, when given, is applied here, folded into the first
    /// layer of a branch whose input is mostly zeros). Leaves the logits in `workspace.logits`
    /// and what backward needs in `workspace`. Branches run on up to `threads` cores; the result
    /// does not depend on `threads`.
    /// - Parameters:
    ///   - policy: dense or sparse first layers (default: from each channel's density in this batch).
    ///   - useKeptOffsetProducts: true when `parameters` are exactly what the last `backward`
    ///     with `keepOffsetProducts` left after its updates: the folded bias then uses the
    ///     `offset Wt` that backward computed, instead of reading every first-layer weight again.
    public func forward<S: NetworkScalar>(parameters: UnsafePointer<S>, features: UnsafePointer<S>, batch: Int,
                                          training: Bool, workspace: NetworkWorkspace<S>, threads: Int,
                                          normalisation: InputNormalisation<S>? = nil, policy: FirstLayerPolicy = .automatic,
                                          useKeptOffsetProducts: Bool = false) {
        precondition(batch <= workspace.capacity, "batch \(batch) exceeds the workspace's \(workspace.capacity)")
        let (d, h, c) = (shape.inputCount, shape.hiddenCount, shape.classCount)
        let p = training ? dropout : 0
        prepareInputs(features: features, batch: batch, workspace: workspace, threads: threads, normalisation: normalisation, policy: policy)
        parallelFor(shape.branchCount, threads: threads) { i in
            let channel = branchChannels[i]
            let hidden = UnsafeMutableBufferPointer(rebasing: workspace.hidden[i][0..<batch * h])
            let layer = branches[i]
            if workspace.sparseChannel[channel] {
                // y = (x / std) W + (b - (mean / std) W): only the non-zero inputs are touched.
                var bias = parameters + layer.bias.offset
                if let normalisation, normalisation.channelHasOffset[channel] {
                    let product = workspace.offsetProducts[i]
                    if !(useKeptOffsetProducts && workspace.offsetProductKept[i]) {
                        product.initialize(repeating: 0)
                        normalisation.offset.withUnsafeBufferPointer { o in
                            layer.accumulateOffsetProduct(rows: 0..<d, offset: o.baseAddress! + channel * d, parameters: parameters, into: product)
                        }
                    }
                    let folded = workspace.foldedBias[i].baseAddress!
                    layer.foldedBias(offsetProduct: product.baseAddress!, parameters: parameters, into: folded)
                    bias = UnsafePointer(folded)
                }
                layer.forwardSparse(workspace.sparseInputs[channel], bias: bias, parameters: parameters,     // [B, 784] -> [B, 1024]
                                    scratch: workspace.paddedRows[i].baseAddress!, into: hidden.baseAddress!)
            } else {
                layer.forward(workspace.denseInput(channel, features: features, batch: batch), batch: batch,   // [B, 784] -> [B, 1024]
                              parameters: parameters, into: hidden.baseAddress!)
            }
            Kernels.reluDropout(hidden, p: p, rng: &workspace.dropoutGenerators[i])
            neck.forwardBlock(hidden.baseAddress!, block: block(ofBranch: i), batch: batch,                 // [B, 1024] -> [B, 10]
                              parameters: parameters, into: workspace.partialLogits[i].baseAddress!)
        }
        // logits = sum of the branch shares in branch order + bias (fixed order: reproducible).
        let logits = workspace.logits
        for k in 0..<batch * c { logits[k] = workspace.partialLogits[0][k] }
        for i in 1..<shape.branchCount {
            let part = workspace.partialLogits[i]
            for k in 0..<batch * c { logits[k] += part[k] }
        }
        Kernels.addBias(logits, UnsafeBufferPointer(start: parameters + neck.bias.offset, count: c), rows: batch)
    }

    /// For each channel some branch reads, one channel per core: its density in this batch
    /// (counted in the sparse builder's first pass), the dense-or-sparse choice, and then either
    /// its non-zero entries (sparse) or its normalised copy (dense, when there is a normalisation).
    func prepareInputs<S: NetworkScalar>(features: UnsafePointer<S>, batch: Int, workspace: NetworkWorkspace<S>, threads: Int,
                                         normalisation: InputNormalisation<S>?, policy: FirstLayerPolicy) {
        let d = shape.inputCount
        let channels = Array(Set(branchChannels)).sorted()
        workspace.normalised = normalisation != nil
        // Each core writes its channels' decisions here; the workspace's arrays are set after.
        let density = UnsafeMutableBufferPointer<Double>.allocate(capacity: FeatureChannel.count)
        let sparse = UnsafeMutableBufferPointer<Bool>.allocate(capacity: FeatureChannel.count)
        defer { density.deallocate(); sparse.deallocate() }
        density.initialize(repeating: 0)
        sparse.initialize(repeating: false)
        parallelFor(channels.count, threads: threads) { k in
            let channel = channels[k]
            let x = UnsafeBufferPointer(start: features + channel * batch * d, count: batch * d)
            let input = workspace.sparseInputs[channel]
            density[channel] = x.isEmpty ? 0 : Double(input.countNonZeros(of: x, rows: batch)) / Double(x.count)
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
                let out = workspace.normalisedInputs[channel]
                normalisation.mean.withUnsafeBufferPointer { m in
                    normalisation.std.withUnsafeBufferPointer { s in
                        for r in 0..<batch {
                            for q in 0..<d { out[r * d + q] = (x[r * d + q] - m[channel * d + q]) / s[channel * d + q] }
                        }
                    }
                }
            }
        }
        workspace.channelDensity = Array(density)
        workspace.sparseChannel = Array(sparse)
    }

    /// Backward pass after `forward(training: true)` and the loss gradient in
    /// `workspace.gradLogits`. Writes every gradient into `gradients`; `gradientsReady(range,
    /// values)` runs on a branch's core for each range of parameters whose gradient is complete
    /// and which backward will not read again, `values[0 ..< range.count]` being that gradient
    /// (the optimiser updates it there, while it is still in cache and the other cores still
    /// work). The neck bias is left to the caller in `gradients[neck.bias.range]` before any
    /// branch starts.
    /// - Parameters:
    ///   - keepFirstLayerWeightGradients: false writes each block of a first layer's weight
    ///     gradient into a small buffer of the workspace instead of `gradients` (which then does
    ///     not get them): the block is overwritten by the next one once `gradientsReady` returns,
    ///     so the 13 MB of those gradients never travel to memory and back. For training, where
    ///     the optimiser in `gradientsReady` is their only reader.
    ///   - keepOffsetProducts: true when `gradientsReady` updates the parameters (training): for a
    ///     branch that went sparse with a normalisation offset, each block of first-layer rows,
    ///     once updated and still in cache, adds its share of `offset Wt` for the next forward pass
    ///     (see `forward`'s `useKeptOffsetProducts`), so that pass does not read the whole weight
    ///     again. The same bits as computing it there.
    public func backward<S: NetworkScalar>(parameters: UnsafePointer<S>, features: UnsafePointer<S>, batch: Int,
                                           workspace: NetworkWorkspace<S>, gradients: UnsafeMutablePointer<S>,
                                           threads: Int, normalisation: InputNormalisation<S>? = nil,
                                           keepFirstLayerWeightGradients: Bool = true, keepOffsetProducts: Bool = false,
                                           gradientsReady: (Range<Int>, UnsafePointer<S>) -> Void = { _, _ in }) {
        precondition(workspace.normalised == (normalisation != nil), "backward with the forward pass's normalisation")
        let (h, c) = (shape.hiddenCount, shape.classCount)
        let dLogits = workspace.gradLogits.baseAddress!
        Kernels.columnSums(UnsafeBufferPointer(workspace.gradLogits), rows: batch,
                           into: UnsafeMutableBufferPointer(start: gradients + neck.bias.offset, count: c))
        parallelFor(shape.branchCount, threads: threads) { i in
            let channel = branchChannels[i]
            let hidden = UnsafeBufferPointer(rebasing: workspace.hidden[i][0..<batch * h])
            let dHidden = UnsafeMutableBufferPointer(rebasing: workspace.gradHidden[i][0..<batch * h])
            let blockBuffer = keepFirstLayerWeightGradients ? nil : workspace.gradientBlocks[i].baseAddress!
            neck.backwardBlockWeights(input: hidden.baseAddress!, block: block(ofBranch: i), gradOutput: dLogits,  // dWt_neck[block] [1024, 10]
                                      batch: batch, gradients: gradients)
            neck.backwardBlockInput(gradOutput: dLogits, block: block(ofBranch: i), batch: batch,      // [B, 10] -> [B, 1024]
                                    parameters: parameters, into: dHidden.baseAddress!)
            let neckRows = neck.weightRows(block(ofBranch: i))
            gradientsReady(neckRows, gradients + neckRows.lowerBound)     // its rows of the neck weight are not read again
            Kernels.reluDropoutBackward(dHidden, output: hidden, p: dropout)
            workspace.offsetProductKept[i] = false
            if workspace.sparseChannel[channel] {
                // dW[p, :] = sum_b (x[b, p] / std[p]) dy[b, :] - (mean[p] / std[p]) db: rows of inputs
                // that are zero in the whole batch get only the second term (or 0) -- no arithmetic.
                let offsetNormalisation = normalisation.flatMap { $0.channelHasOffset[channel] ? $0 : nil }
                let layer = branches[i], product = workspace.offsetProducts[i]
                let keepProduct = keepOffsetProducts && offsetNormalisation != nil
                if keepProduct { product.initialize(repeating: 0) }
                withNegatedOffset(offsetNormalisation, channel: channel) { negatedOffset in
                    layer.backwardParametersSparse(input: workspace.sparseInputs[channel], gradOutput: dHidden.baseAddress!,     // dWt [784, 1024]
                                                   batch: batch, negatedOffset: negatedOffset, scratch: workspace.paddedRows[i].baseAddress!,
                                                   gradients: gradients, blockBuffer: blockBuffer) { range, gradientsOfRange in
                        gradientsReady(range, gradientsOfRange)
                        // The optimiser has updated these rows: add their share of offset Wt (read from
                        // `offset`, not this scope's `negatedOffset`, so the sum is the forward pass's).
                        if keepProduct, let offsetNormalisation, let rows = layer.inputRows(ofWeightRange: range) {
                            offsetNormalisation.offset.withUnsafeBufferPointer { o in
                                layer.accumulateOffsetProduct(rows: rows, offset: o.baseAddress! + channel * shape.inputCount,
                                                              parameters: parameters, into: product)
                            }
                        }
                    }
                }
                workspace.offsetProductKept[i] = keepProduct
            } else {
                branches[i].backwardParameters(input: workspace.denseInput(channel, features: features, batch: batch),
                                               gradOutput: dHidden.baseAddress!, batch: batch, gradients: gradients,
                                               blockBuffer: blockBuffer, gradientsReady: gradientsReady)      // dWt [784, 1024]
            }
        }
    }

    /// `body` with channel `channel`'s `-mean / std` (`[in]`) from `normalisation`, or nil.
    @inline(__always)
    func withNegatedOffset<S: NetworkScalar>(_ normalisation: InputNormalisation<S>?, channel: Int,
                                             _ body: (UnsafePointer<S>?) -> Void) {
        guard let normalisation else { return body(nil) }
        normalisation.negatedOffset.withUnsafeBufferPointer { body($0.baseAddress! + channel * shape.inputCount) }
    }
}

/// Buffers for one batch size, allocated once: branch outputs, their gradients, the logits.
/// Also carries each branch's dropout generator, so masks do not depend on which core runs it.
/// The branches write disjoint buffers, so one workspace serves all cores of a step; it is
/// not for two steps at once.
public final class NetworkWorkspace<S: NetworkScalar> {
    public let capacity: Int
    /// Per branch, `[capacity, hidden]`.
    public let hidden: [UnsafeMutableBufferPointer<S>]
    public let gradHidden: [UnsafeMutableBufferPointer<S>]
    /// Per branch, `[capacity, classes]`: its share of the logits.
    public let partialLogits: [UnsafeMutableBufferPointer<S>]
    /// `[capacity, classes]`.
    public let logits: UnsafeMutableBufferPointer<S>
    public let gradLogits: UnsafeMutableBufferPointer<S>
    /// One generator per branch; each branch's core touches only its own.
    let dropoutGenerators: UnsafeMutableBufferPointer<SplitMix64>

    // What forward decided and prepared for the first layers, per channel; backward reads it.
    /// The non-zero entries of each channel (filled when the channel goes sparse).
    public let sparseInputs: [SparseInput<S>]
    /// Each channel normalised, `[capacity, inputCount]` (filled when dense and normalised).
    let normalisedInputs: [UnsafeMutableBufferPointer<S>]
    /// Each branch's bias minus the folded normalisation's offset through its weight, `[hidden]`.
    let foldedBias: [UnsafeMutableBufferPointer<S>]
    /// Each branch's `offset Wt`, `[hidden]`, and whether the last backward left it up to date
    /// (see `backward`'s `keepOffsetProducts`); each branch's core writes only its own.
    let offsetProducts: [UnsafeMutableBufferPointer<S>]
    let offsetProductKept: UnsafeMutableBufferPointer<Bool>
    /// Per branch, `[capacity, hidden + SparseInput.rowPadding]`: the sparse kernels' padded rows.
    let paddedRows: [UnsafeMutableBufferPointer<S>]
    /// Per branch, `[Linear.largestGradientRowBlock, hidden]`: one block of the first layer's weight
    /// gradient on its way to the optimiser (see `backward`'s `keepFirstLayerWeightGradients`).
    let gradientBlocks: [UnsafeMutableBufferPointer<S>]
    /// The last forward pass's density of each channel and whether it went sparse.
    public internal(set) var channelDensity = [Double](repeating: 0, count: FeatureChannel.count)
    public internal(set) var sparseChannel = [Bool](repeating: false, count: FeatureChannel.count)
    var normalised = false
    private let inputCount: Int

    /// The first-layer input of `channel` for the dense path: the normalised copy, or the raw features.
    func denseInput(_ channel: Int, features: UnsafePointer<S>, batch: Int) -> UnsafePointer<S> {
        normalised ? UnsafePointer(normalisedInputs[channel].baseAddress!) : features + channel * batch * inputCount
    }

    /// The branches' dropout generators (for checkpoints).
    public var dropoutRNG: [SplitMix64] {
        get { Array(dropoutGenerators) }
        set {
            precondition(newValue.count == dropoutGenerators.count)
            for (i, g) in newValue.enumerated() { dropoutGenerators[i] = g }
        }
    }

    public init(shape: ModelShape, capacity: Int, dropoutSeed: UInt64 = 0) {
        self.capacity = capacity
        func buffer(_ n: Int) -> UnsafeMutableBufferPointer<S> {
            let p = UnsafeMutableBufferPointer<S>.allocate(capacity: n)
            p.initialize(repeating: 0)
            return p
        }
        hidden = (0..<shape.branchCount).map { _ in buffer(capacity * shape.hiddenCount) }
        gradHidden = (0..<shape.branchCount).map { _ in buffer(capacity * shape.hiddenCount) }
        partialLogits = (0..<shape.branchCount).map { _ in buffer(capacity * shape.classCount) }
        logits = buffer(capacity * shape.classCount)
        gradLogits = buffer(capacity * shape.classCount)
        inputCount = shape.inputCount
        sparseInputs = (0..<FeatureChannel.count).map { _ in SparseInput(capacityRows: capacity, columns: shape.inputCount) }
        normalisedInputs = (0..<FeatureChannel.count).map { _ in buffer(capacity * shape.inputCount) }
        foldedBias = (0..<shape.branchCount).map { _ in buffer(shape.hiddenCount) }
        offsetProducts = (0..<shape.branchCount).map { _ in buffer(shape.hiddenCount) }
        offsetProductKept = .allocate(capacity: shape.branchCount)
        offsetProductKept.initialize(repeating: false)
        paddedRows = (0..<shape.branchCount).map { _ in buffer(capacity * (shape.hiddenCount + SparseInput<S>.rowPadding)) }
        gradientBlocks = (0..<shape.branchCount).map { _ in buffer(Linear.largestGradientRowBlock * shape.hiddenCount) }
        var seeds = SplitMix64(seed: dropoutSeed)
        dropoutGenerators = .allocate(capacity: shape.branchCount)
        _ = dropoutGenerators.initialize(from: (0..<shape.branchCount).map { _ in SplitMix64(seed: seeds.next()) })
    }

    deinit {
        for p in hidden + gradHidden + partialLogits + normalisedInputs + foldedBias + offsetProducts + paddedRows + gradientBlocks + [logits, gradLogits] {
            p.deallocate()
        }
        offsetProductKept.deallocate()
        dropoutGenerators.deallocate()
    }
}
