/// The four-branch models' training step with every speed fusion in one place. It trains a
/// `FourBranchNetwork<Float>` to the same bits as `ReferenceTrainingStep` (forward, backward
/// into every gradient, then Adam over all): `FusedTrainingStepTests` checks parameters, both
/// moments and the losses of several steps bit for bit, for both models, with and without a
/// normalisation, dense and sparse. The fusions, each exact for the reason given:
///
/// 1. **Adam on each block as it completes.** Backward hands on each range of parameters once
///    its gradient is complete and never read again (a branch's first-layer bias, each block of
///    its weight rows, its rows of the neck weight after the neck's input gradient has read
///    them); Adam updates it right there, on the branch's core, while the gradient is in cache.
///    Adam is element-wise, so the order of the ranges changes no bit.
/// 2. **Gradient blocks that stay in cache.** Each block of a first layer's weight gradient (32
///    rows sparse, 128 dense: 128-512 KB) is written into a small per-branch buffer instead of the
///    13 MB `gradients`, and overwritten by the next block once Adam has read it. The same numbers
///    pass through a different buffer. (After a fused step `network.gradients` holds only the
///    neck's and the biases' gradients.)
/// 3. **The kept `offset Wt`.** A sparse branch with a normalisation offset needs `offset Wt` for
///    its folded bias in every forward pass, which would read the whole first-layer weight again.
///    Instead each block of weight rows adds its share just after Adam updated it, while in cache
///    (`KeptOffsetProducts`). The row-combination kernel sums one fused multiply-add per row in
///    row order, so blocks give the bits of one call (`KernelsTests`). Its validity is stored:
///    the products belong to the parameter generation this step's update left; any other change
///    (`FourBranchNetwork.setParameters`, `restore`) is a new generation and the next pass
///    computes the product afresh.
/// 4. **The folded normalisation** and 5. **the sparse first layer** are the reference
///    network's own (`FourBranchNetwork`, `Linear.forwardSparse`): `(x - mu) / sigma` applied as
///    `x / sigma` through the weights and a bias term, so a mostly-zero channel stays sparse,
///    and the first layer summed over the non-zero inputs only when the batch's density is at
///    most `FirstLayerPolicy.sparseDensityLimit`. Exact to 1e-9 in Double against the explicit
///    dense computation (`SparseFirstLayerTests`).
public final class FusedTrainingStep: TrainingStep {
    public let network: FourBranchNetwork<Float>
    public private(set) var optimiser: Adam<Float>
    /// Per branch, `[Linear.largestGradientRowBlock, hidden]`: one block of the first layer's
    /// weight gradient on its way to Adam (fusion 2).
    private let gradientBlocks: [UnsafeMutableBufferPointer<Float>]
    private let kept: KeptOffsetProducts<Float>

    public init(network: FourBranchNetwork<Float>, optimiser: Adam<Float>) {
        precondition(optimiser.m.count == network.parameters.count, "one moment per parameter")
        self.network = network
        self.optimiser = optimiser
        let shape = network.architecture.shape
        gradientBlocks = (0..<shape.branchCount).map { _ in zeroed(Linear.largestGradientRowBlock * shape.hiddenCount) }
        kept = KeptOffsetProducts(branches: shape.branchCount, hiddenCount: shape.hiddenCount)
    }

    deinit { for b in gradientBlocks { b.deallocate() } }

    public var parameters: [Float] { network.parameters }
    public var dropoutGenerators: [SplitMix64] { network.dropoutGenerators }

    /// The network's forward pass in training mode, with the products the last step kept.
    @discardableResult
    public func forward(batch: FeatureBatch<Float>) -> BatchLoss {
        network.forward(batch: batch, training: true, keptOffsetProducts: kept)
    }

    public func evaluate(batch: FeatureBatch<Float>) -> BatchLoss {
        network.forward(batch: batch, training: false, keptOffsetProducts: kept)
    }

    /// Backward after `forward`, with Adam on each range as its gradient completes (fusions 1-3).
    public func backwardAndUpdate() {
        let ws = network.activations, architecture = network.architecture
        precondition(ws.trained, "backwardAndUpdate follows forward")
        let n = ws.batchCount, h = architecture.shape.hiddenCount, c = architecture.shape.classCount
        let neck = architecture.neck, kept = kept, blocks = gradientBlocks
        optimiser.step += 1
        let k = optimiser.constants
        FloatEnvironment.withDenormalsFlushed {
            network.updateParameters { p, g in
                optimiser.withMoments { m, v in
                    let (p, g) = (p.baseAddress!, g.baseAddress!)
                    let adam = { (range: Range<Int>, gradientsOfRange: UnsafePointer<Float>) in
                        Adam.update(range, constants: k, parameters: p, gradientsOfRange: gradientsOfRange, m: m, v: v)
                    }
                    Kernels.columnSums(UnsafeBufferPointer(rebasing: ws.gradLogits[0..<n * c]), rows: n,     // db_neck [10]
                                       into: UnsafeMutableBufferPointer(start: g + neck.bias.offset, count: c))
                    parallelFor(architecture.shape.branchCount, threads: network.threads) { i in
                        let channel = architecture.branchChannels[i], layer = architecture.branches[i]
                        let hidden = UnsafeBufferPointer(rebasing: ws.hidden[i][0..<n * h])
                        let dHidden = UnsafeMutableBufferPointer(rebasing: ws.gradHidden[i][0..<n * h])
                        network.backwardNeckBlock(i, batch: n, parameters: p, gradients: g, into: dHidden)
                        let neckRows = neck.weightRows(architecture.block(ofBranch: i))
                        adam(neckRows, g + neckRows.lowerBound)    // read for the last time just above
                        architecture.activation.backward(dHidden, output: hidden)
                        kept.current[i] = false
                        if ws.sparseChannel[channel] {
                            let product = keepsOffsetProduct(ofChannel: channel) ? kept.products[i] : nil
                            product?.initialize(repeating: 0)
                            network.withNegatedOffset(ofChannel: channel) { negatedOffset in
                                layer.backwardParametersSparse(input: ws.sparseInputs[channel], gradOutput: dHidden.baseAddress!,    // dWt [784, 1024]
                                                               batch: n, negatedOffset: negatedOffset, scratch: ws.paddedRows[i].baseAddress!,
                                                               gradients: g, blockBuffer: blocks[i].baseAddress!) { range, gradientsOfRange in
                                    adam(range, gradientsOfRange)
                                    // The rows are updated: add their share of offset Wt (fusion 3).
                                    if let product, let rows = layer.inputRows(ofWeightRange: range) {
                                        network.normalisation!.withOffset(channel: channel) { offset in
                                            layer.accumulateOffsetProduct(rows: rows, offset: offset, parameters: p, into: product)
                                        }
                                    }
                                }
                            }
                            kept.current[i] = product != nil
                        } else {
                            layer.backwardParameters(input: ws.denseInputs[channel].baseAddress!, gradOutput: dHidden.baseAddress!,   // dWt [784, 1024]
                                                     batch: n, gradients: g, blockBuffer: blocks[i].baseAddress!, gradientsReady: adam)
                        }
                    }
                    adam(neck.bias.range, g + neck.bias.offset)
                }
            }
        }
        kept.generation = network.parameterGeneration   // the generation this update made
    }

    /// Whether some branch's kept `offset Wt` belongs to the current parameters (for tests).
    var keptProductsAreCurrent: Bool {
        (0..<network.architecture.shape.branchCount).contains { kept.product(ofBranch: $0, generation: network.parameterGeneration) != nil }
    }

    /// Whether a sparse branch reading `channel` has a folded bias term to keep.
    private func keepsOffsetProduct(ofChannel channel: Int) -> Bool {
        network.normalisation?.channelHasOffset[channel] ?? false
    }

    public func restore(parameters: [Float], optimiser: Adam<Float>, dropoutGenerators: [SplitMix64]) {
        precondition(optimiser.m.count == parameters.count, "one moment per parameter")
        network.setParameters(parameters)   // a new generation: the kept products are stale
        self.optimiser = optimiser
        network.dropoutGenerators = dropoutGenerators
    }

    public func setLearningRate(_ learningRate: Double) { optimiser.learningRate = learningRate }
}

extension TrainingStepKind {
    /// The step of this kind for a four-branch network.
    public func makeStep(network: FourBranchNetwork<Float>, optimiser: Adam<Float>) -> any TrainingStep {
        switch self {
        case .fused: FusedTrainingStep(network: network, optimiser: optimiser)
        case .reference: ReferenceTrainingStep(network: network, optimiser: optimiser)
        }
    }
}
