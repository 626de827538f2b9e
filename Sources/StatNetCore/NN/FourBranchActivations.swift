/// The buffers of one forward and backward pass of a `FourBranchNetwork`, allocated once for the
/// largest batch: what each first layer read, the branch outputs and their gradients, the
/// logits and the loss gradient, and each branch's dropout generator (so masks do not depend on
/// which core runs a branch). Each branch's core writes only its own buffers.
final class FourBranchActivations<S: NetworkScalar> {
    let capacity: Int
    let inputCount: Int

    // The first layers' inputs, per channel, as forward prepared them (backward reads them again).
    /// The non-zero entries of each channel (filled when the channel goes sparse).
    let sparseInputs: [SparseInput<S>]
    /// Each channel as the dense first layer reads it, `[capacity, inputCount]`: normalised when
    /// there is a normalisation, else a copy of the batch's (filled when the channel goes dense).
    let denseInputs: [UnsafeMutableBufferPointer<S>]
    /// The last forward pass's density of each channel and whether it went sparse.
    var channelDensity = [Double](repeating: 0, count: FeatureChannel.count)
    var sparseChannel = [Bool](repeating: false, count: FeatureChannel.count)

    /// Per branch, `[capacity, hidden]`: the output after ReLU and dropout.
    let hidden: [UnsafeMutableBufferPointer<S>]
    let gradHidden: [UnsafeMutableBufferPointer<S>]
    /// Per branch, `[capacity, classes]`: its share of the logits.
    let partialLogits: [UnsafeMutableBufferPointer<S>]
    /// `[capacity, classes]`.
    let logits: UnsafeMutableBufferPointer<S>
    let gradLogits: UnsafeMutableBufferPointer<S>
    /// Per branch, `[hidden]`: the folded normalisation's `offset Wt` and the bias `b - offset Wt`.
    let offsetProducts: [UnsafeMutableBufferPointer<S>]
    let foldedBias: [UnsafeMutableBufferPointer<S>]
    /// Per branch, `[capacity, hidden + SparseInput.rowPadding]`: the sparse kernels' padded rows.
    let paddedRows: [UnsafeMutableBufferPointer<S>]
    /// One generator per branch; each branch's core touches only its own.
    let dropoutGenerators: UnsafeMutableBufferPointer<SplitMix64>
    /// Images in the last forward pass, and whether it was a training pass (which backward needs).
    var batchCount = 0
    var trained = false

    init(shape: ModelShape, capacity: Int, dropoutSeed: UInt64) {
        precondition(capacity >= 1, "room for at least one image")
        self.capacity = capacity
        inputCount = shape.inputCount
        let branches = 0..<shape.branchCount, channels = 0..<FeatureChannel.count
        sparseInputs = channels.map { _ in SparseInput(capacityRows: capacity, columns: shape.inputCount) }
        denseInputs = channels.map { _ in zeroed(capacity * shape.inputCount) }
        hidden = branches.map { _ in zeroed(capacity * shape.hiddenCount) }
        gradHidden = branches.map { _ in zeroed(capacity * shape.hiddenCount) }
        partialLogits = branches.map { _ in zeroed(capacity * shape.classCount) }
        logits = zeroed(capacity * shape.classCount)
        gradLogits = zeroed(capacity * shape.classCount)
        offsetProducts = branches.map { _ in zeroed(shape.hiddenCount) }
        foldedBias = branches.map { _ in zeroed(shape.hiddenCount) }
        paddedRows = branches.map { _ in zeroed(capacity * (shape.hiddenCount + SparseInput<S>.rowPadding)) }
        var seeds = SplitMix64(seed: dropoutSeed)
        dropoutGenerators = .allocate(capacity: shape.branchCount)
        _ = dropoutGenerators.initialize(from: branches.map { _ in SplitMix64(seed: seeds.next()) })
    }

    deinit {
        for p in denseInputs + hidden + gradHidden + partialLogits + offsetProducts + foldedBias + paddedRows + [logits, gradLogits] {
            p.deallocate()
        }
        dropoutGenerators.deallocate()
    }
}

/// A buffer of `count` zeros, to be deallocated by its owner.
func zeroed<S: NetworkScalar>(_ count: Int) -> UnsafeMutableBufferPointer<S> {
    let p = UnsafeMutableBufferPointer<S>.allocate(capacity: count)
    p.initialize(repeating: 0)
    return p
}
