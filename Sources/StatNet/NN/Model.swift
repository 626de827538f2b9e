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

    /// The neck's input columns that come from branch `i`.
    public func block(ofBranch i: Int) -> Range<Int> { i * shape.hiddenCount..<(i + 1) * shape.hiddenCount }

    /// The parameters only branch `i` touches in backward (its layer and its block of the neck
    /// weight), which may be updated as soon as that branch's backward is done.
    public func parameterRanges(ofBranch i: Int) -> [Range<Int>] {
        [branches[i].weight.offset..<branches[i].bias.range.upperBound, neck.weightRows(block(ofBranch: i))]
    }

    /// Fresh parameters with PyTorch's default initialisation, layer by layer in order.
    public func initialParameters<S: NetworkScalar>(seed: UInt64) -> [S] {
        var values = [S](repeating: 0, count: parameterCount)
        var rng = SplitMix64(seed: seed)
        for layer in branches + [neck] { layer.initialise(&values, rng: &rng) }
        return values
    }

    /// Forward pass. `features`: channel-major `[4][batch][inputCount]` (as `FeatureExtractor`
    /// writes them, after normalisation). Leaves the logits in `workspace.logits` and the
    /// branch outputs in `workspace.hidden` for backward. Branches run on up to `threads` cores;
    /// the result does not depend on `threads`.
    public func forward<S: NetworkScalar>(parameters: UnsafePointer<S>, features: UnsafePointer<S>, batch: Int,
                                          training: Bool, workspace: NetworkWorkspace<S>, threads: Int) {
        precondition(batch <= workspace.capacity, "batch \(batch) exceeds the workspace's \(workspace.capacity)")
        let (d, h, c) = (shape.inputCount, shape.hiddenCount, shape.classCount)
        let p = training ? dropout : 0
        parallelFor(shape.branchCount, threads: threads) { i in
            let x = features + branchChannels[i] * batch * d
            let hidden = UnsafeMutableBufferPointer(rebasing: workspace.hidden[i][0..<batch * h])
            branches[i].forward(x, batch: batch, parameters: parameters, into: hidden.baseAddress!)    // [B, 784] -> [B, 1024]
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

    /// Backward pass after `forward(training: true)` and the loss gradient in
    /// `workspace.gradLogits`. Writes every gradient into `gradients`; `afterBranch(i)` runs
    /// on the same core right after branch i's gradients are complete (the optimiser uses it
    /// to update that branch while other cores still work). The neck bias is left to the caller
    /// in `gradients[neck.bias.range]` before any branch starts.
    public func backward<S: NetworkScalar>(parameters: UnsafePointer<S>, features: UnsafePointer<S>, batch: Int,
                                           workspace: NetworkWorkspace<S>, gradients: UnsafeMutablePointer<S>,
                                           threads: Int, afterBranch: (Int) -> Void = { _ in }) {
        let (d, h, c) = (shape.inputCount, shape.hiddenCount, shape.classCount)
        let dLogits = workspace.gradLogits.baseAddress!
        Kernels.columnSums(UnsafeBufferPointer(workspace.gradLogits), rows: batch,
                           into: UnsafeMutableBufferPointer(start: gradients + neck.bias.offset, count: c))
        parallelFor(shape.branchCount, threads: threads) { i in
            let x = features + branchChannels[i] * batch * d
            let hidden = UnsafeBufferPointer(rebasing: workspace.hidden[i][0..<batch * h])
            let dHidden = UnsafeMutableBufferPointer(rebasing: workspace.gradHidden[i][0..<batch * h])
            neck.backwardBlockWeights(input: hidden.baseAddress!, block: block(ofBranch: i), gradOutput: dLogits,  // dWt_neck[block] [1024, 10]
                                      batch: batch, gradients: gradients)
            neck.backwardBlockInput(gradOutput: dLogits, block: block(ofBranch: i), batch: batch,      // [B, 10] -> [B, 1024]
                                    parameters: parameters, into: dHidden.baseAddress!)
            Kernels.reluDropoutBackward(dHidden, output: hidden, p: dropout)
            branches[i].backwardParameters(input: x, gradOutput: dHidden.baseAddress!, batch: batch, gradients: gradients) // dWt [784, 1024]
            afterBranch(i)
        }
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
        var seeds = SplitMix64(seed: dropoutSeed)
        dropoutGenerators = .allocate(capacity: shape.branchCount)
        _ = dropoutGenerators.initialize(from: (0..<shape.branchCount).map { _ in SplitMix64(seed: seeds.next()) })
    }

    deinit {
        for p in hidden + gradHidden + partialLogits + [logits, gradLogits] { p.deallocate() }
        dropoutGenerators.deallocate()
    }
}
