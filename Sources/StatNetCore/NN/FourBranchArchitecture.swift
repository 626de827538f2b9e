/// The paper's model as layers (Keyork 2023, "StatNet", section 3; EXPERIMENTS.md): four
/// parallel branches `Linear(784 -> 1024) -> ReLU -> Dropout(0.5)`, their outputs concatenated
/// (branch 0 first) into 4096 values, then `Linear(4096 -> 10)`. A value: shapes, the layers'
/// places in the flat parameter buffer, and which channel each branch reads. The numbers live in
/// a `FourBranchNetwork`.
///
/// Deviations from the paper's code, none of which changes the function computed: weights are
/// stored transposed; the concatenation is never materialised (see `Linear.forwardBlock`);
/// backward writes gradients instead of accumulating them.
public struct FourBranchArchitecture: Sendable, Equatable {
    public let kind: ModelKind
    public let shape: ModelShape
    public let layout: ParameterLayout
    public let branches: [Linear]
    public let activation: ReLUDropout
    public let neck: Linear
    /// The feature channel each branch reads: the kind's choice unless an ablation sets it.
    public let branchChannels: [Int]

    /// - Parameters:
    ///   - dropout: after each branch (0.5 in the paper; 0 turns it off).
    ///   - branchChannels: the channel each branch reads (default: the kind's).
    public init(kind: ModelKind, shape: ModelShape = .paper, dropout: Double = 0.5, branchChannels: [Int]? = nil) {
        precondition(shape.inputCount >= 1 && shape.hiddenCount >= 1 && shape.classCount >= 1, "every layer has at least one unit")
        self.kind = kind
        self.branchChannels = branchChannels ?? (0..<shape.branchCount).map(kind.channel(ofBranch:))
        precondition(self.branchChannels.count == shape.branchCount && self.branchChannels.allSatisfy { (0..<FeatureChannel.count).contains($0) },
                     "one channel in 0...3 per branch")
        self.shape = shape
        activation = ReLUDropout(p: dropout)
        var layout = ParameterLayout()
        branches = (0..<shape.branchCount).map {
            Linear(inputCount: shape.inputCount, outputCount: shape.hiddenCount, name: "branches.\($0)", layout: &layout)
        }
        neck = Linear(inputCount: shape.branchCount * shape.hiddenCount, outputCount: shape.classCount, name: "neck", layout: &layout)
        self.layout = layout
    }

    public var parameterCount: Int { layout.count }

    /// Dropout probability after each branch.
    public var dropout: Double { activation.p }

    /// Whether some branch reads entropy or mean energy, the channels computed by running sums
    /// (MLPNet reads neither, so its batches skip them).
    public var readsRunningChannels: Bool { branchChannels.contains { FeatureChannel(rawValue: $0)!.isRunning } }

    /// The channels some branch reads, each once, in order.
    public var channelsRead: [Int] { Array(Set(branchChannels)).sorted() }

    /// The neck's input columns that come from branch `i`.
    public func block(ofBranch i: Int) -> Range<Int> { i * shape.hiddenCount..<(i + 1) * shape.hiddenCount }

    /// Fresh parameters with PyTorch's default initialisation, layer by layer in order.
    public func initialParameters<S: NetworkScalar>(seed: UInt64) -> [S] {
        var values = [S](repeating: 0, count: parameterCount)
        var rng = SplitMix64(seed: seed)
        for layer in branches + [neck] { layer.initialise(&values, rng: &rng) }
        return values
    }
}
