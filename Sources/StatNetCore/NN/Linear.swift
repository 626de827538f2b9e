/// A fully connected layer, `y = x W^T + b`, as PyTorch's `nn.Linear(inputCount, outputCount)`.
///
/// It holds no numbers itself, only where its weight and bias sit in the flat parameter store;
/// the weight is stored transposed (`Wt`, `[in, out]`). Forward and its derivatives sit side
/// by side; backward *writes* its gradients (each parameter gets its gradient from exactly one
/// place, so no zeroing pass is needed).
public struct Linear: Sendable, Equatable {
    public let inputCount: Int
    public let outputCount: Int
    public let weight: ParameterView
    public let bias: ParameterView

    public init(inputCount: Int, outputCount: Int, name: String, layout: inout ParameterLayout) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        weight = layout.add("\(name).weight", shape: [outputCount, inputCount], storedTransposed: true)
        bias = layout.add("\(name).bias", shape: [outputCount])
    }

    /// PyTorch's default initialisation: weight and bias uniform in `[-1/sqrt(in), 1/sqrt(in)]`.
    public func initialise<S: NetworkScalar>(_ values: inout [S], rng: inout SplitMix64) {
        let bound = 1 / Double(inputCount).squareRoot()
        for i in weight.range { values[i] = S((2 * Double(rng.nextUnitFloat()) - 1) * bound) }
        for i in bias.range { values[i] = S((2 * Double(rng.nextUnitFloat()) - 1) * bound) }
    }

    /// `[batch, in] -> [batch, out]`: `y = x Wt + b`.
    @inline(__always)
    public func forward<S: NetworkScalar>(_ x: UnsafePointer<S>, batch: Int, parameters: UnsafePointer<S>,
                                          into y: UnsafeMutablePointer<S>) {
        gemm(x, parameters + weight.offset, into: y, m: batch, n: outputCount, k: inputCount)
        Kernels.addBias(UnsafeMutableBufferPointer(start: y, count: batch * outputCount),
                        UnsafeBufferPointer(start: parameters + bias.offset, count: outputCount), rows: batch)
    }

    /// `dWt = x^T dy` (`[in, out]`) and `db = sum_b dy`, written into `gradients`.
    /// - Parameters:
    ///   - blockBuffer: when given, room for `denseGradientRowBlock` rows of `dWt`: each block of
    ///     the weight gradient is written there instead of into `gradients` (see the sparse version).
    ///   - gradientsReady: called with each range of the flat store whose gradient is complete, and
    ///     where that gradient is: the bias, then the weight in blocks of `denseGradientRowBlock` rows.
    @inline(__always)
    public func backwardParameters<S: NetworkScalar>(input x: UnsafePointer<S>, gradOutput dy: UnsafePointer<S>, batch: Int,
                                                     gradients: UnsafeMutablePointer<S>, blockBuffer: UnsafeMutablePointer<S>? = nil,
                                                     gradientsReady: (Range<Int>, UnsafePointer<S>) -> Void = { _, _ in }) {
        Kernels.columnSums(UnsafeBufferPointer(start: dy, count: batch * outputCount), rows: batch,
                           into: UnsafeMutableBufferPointer(start: gradients + bias.offset, count: outputCount))
        gradientsReady(bias.range, gradients + bias.offset)
        forEachGradientRowBlock(of: Self.denseGradientRowBlock, gradients: gradients, blockBuffer: blockBuffer,
                                gradientsReady: gradientsReady) { rows, block in   // dWt[rows, :] = x[:, rows]^T dy
            gemm(x + rows.lowerBound, transposeA: true, rowStrideA: inputCount, dy, into: block, m: rows.count, n: outputCount, k: batch)
        }
    }

    /// Sparse forward, `[batch, in] -> [batch, out]`: `y[b, :] = bias + sum_p x[b, p] Wt[p, :]`
    /// over the non-zero inputs only, taken input by input (a row of `Wt` is contiguous and is
    /// added into every batch row where that input is non-zero). `x`'s values are already
    /// divided by the normalisation's std; `bias` may be the folded one. `scratch` holds
    /// `[batch, out + SparseInput.rowPadding]` (a padded stride keeps the rows in distinct cache sets).
    @inline(__always)
    public func forwardSparse<S: NetworkScalar>(_ x: SparseInput<S>, bias: UnsafePointer<S>, parameters: UnsafePointer<S>,
                                                scratch: UnsafeMutablePointer<S>, into y: UnsafeMutablePointer<S>) {
        precondition(x.columns == inputCount)
        let stride = outputCount + SparseInput<S>.rowPadding
        Kernels.sparseScatter(positions: inputCount, rows: x.rows, columns: outputCount, start: x.columnStart.baseAddress!,
                        index: x.byColumnIndex.baseAddress!, value: x.byColumnValue.baseAddress!, weight: parameters + weight.offset,
                        weightStride: outputCount, initVector: bias, into: scratch, outStride: stride)
        copyRows(x.rows, from: scratch, stride: stride, to: y, stride: outputCount)
    }

    /// Adds rows `rows` of the folded normalisation's `offset Wt` into `product` (`offset`: `[in]`,
    /// mean / std; `product`: `[out]`): `product += offset[rows] Wt[rows, :]`. All rows in one call
    /// from a zero start, or block after block in row order (the optimiser's blocks, while they are
    /// in cache): the same bits either way, on every BLAS.
    @inline(__always)
    public func accumulateOffsetProduct<S: NetworkScalar>(rows: Range<Int>, offset: UnsafePointer<S>, parameters: UnsafePointer<S>,
                                                          into product: UnsafeMutableBufferPointer<S>) {
        precondition(product.count == outputCount && rows.upperBound <= inputCount)
        Kernels.accumulateRowCombination(UnsafeBufferPointer(start: offset + rows.lowerBound, count: rows.count),
                                         of: parameters + weight.offset + rows.lowerBound * outputCount, into: product)
    }

    /// The bias of the folded normalisation, `b - offset Wt`, from the product `offset Wt`
    /// (`accumulateOffsetProduct`): `[out]`.
    @inline(__always)
    public func foldedBias<S: NetworkScalar>(offsetProduct: UnsafePointer<S>, parameters: UnsafePointer<S>, into out: UnsafeMutablePointer<S>) {
        let b = parameters + bias.offset
        for j in 0..<outputCount { out[j] = b[j] - offsetProduct[j] }
    }

    /// Sparse weight gradient: `db = sum_b dy` first, then for every input p
    /// `dWt[p, :] = negatedOffset[p] * db + sum_b x[b, p] dy[b, :]` over the batch rows where
    /// input p is non-zero; an input that is zero in the whole batch gets its start value
    /// (0 without a normalisation offset) and no arithmetic.
    /// - Parameters:
    ///   - blockBuffer: when given, room for `gradientRowBlock` rows of `dWt`: each block of the
    ///     weight gradient is written there, handed on, and overwritten by the next, so it never
    ///     leaves the cache and `gradients` does not get it (training: the optimiser is the
    ///     only reader). Nil: every block is written into `gradients`.
    ///   - gradientsReady: called with each range of the flat store whose gradient is complete, and
    ///     where that gradient is: the bias, then the weight in blocks of `gradientRowBlock` rows,
    ///     so that an optimiser can update each block while its gradient is still in cache.
    @inline(__always)
    public func backwardParametersSparse<S: NetworkScalar>(input x: SparseInput<S>, gradOutput dy: UnsafePointer<S>, batch: Int,
                                                           negatedOffset: UnsafePointer<S>?, scratch: UnsafeMutablePointer<S>,
                                                           gradients: UnsafeMutablePointer<S>, blockBuffer: UnsafeMutablePointer<S>? = nil,
                                                           gradientsReady: (Range<Int>, UnsafePointer<S>) -> Void = { _, _ in }) {
        precondition(x.columns == inputCount && x.rows == batch)
        let db = gradients + bias.offset
        Kernels.columnSums(UnsafeBufferPointer(start: dy, count: batch * outputCount), rows: batch,
                           into: UnsafeMutableBufferPointer(start: db, count: outputCount))
        let stride = outputCount + SparseInput<S>.rowPadding
        gradientsReady(bias.range, db)
        copyRows(batch, from: dy, stride: outputCount, to: scratch, stride: stride)
        forEachGradientRowBlock(of: Self.gradientRowBlock, gradients: gradients, blockBuffer: blockBuffer,
                                gradientsReady: gradientsReady) { rows, block in
            let first = rows.lowerBound
            Kernels.sparseGather(rows: rows.count, columns: outputCount, start: x.columnStart.baseAddress! + first, index: x.byColumnIndex.baseAddress!,
                           value: x.byColumnValue.baseAddress!, source: scratch, sourceStride: stride, initScale: negatedOffset.map { $0 + first },
                           initVector: negatedOffset == nil ? nil : UnsafePointer(db), into: block, outStride: outputCount)
        }
    }

    /// Copies `rows` rows of `outputCount` values between layouts of different row strides, each
    /// row by `memcpy` (`update(from:count:)` compiled to a scalar loop here).
    @inline(__always)
    func copyRows<S>(_ rows: Int, from source: UnsafePointer<S>, stride sourceStride: Int, to target: UnsafeMutablePointer<S>, stride targetStride: Int) {
        let bytes = outputCount * MemoryLayout<S>.stride
        for r in 0..<rows {
            UnsafeMutableRawPointer(target + r * targetStride).copyMemory(from: source + r * sourceStride, byteCount: bytes)
        }
    }

    /// `write(rows, block)` fills `dWt[rows, :]` at `block` for each block of `rowsPerBlock` input
    /// rows in order: at the rows' place in `gradients`, or at `blockBuffer` when given. Each block
    /// is handed on to `gradientsReady` as soon as it is written.
    @inline(__always)
    func forEachGradientRowBlock<S>(of rowsPerBlock: Int, gradients: UnsafeMutablePointer<S>, blockBuffer: UnsafeMutablePointer<S>?,
                                    gradientsReady: (Range<Int>, UnsafePointer<S>) -> Void,
                                    write: (Range<Int>, UnsafeMutablePointer<S>) -> Void) {
        for first in stride(from: 0, to: inputCount, by: rowsPerBlock) {
            let rows = first..<min(first + rowsPerBlock, inputCount)
            let block = blockBuffer ?? gradients + weight.offset + first * outputCount
            write(rows, block)
            gradientsReady(weightRows(rows), block)
        }
    }

    /// Rows of `dWt` the weight gradients hand on at a time: 32 rows of 1024 floats are 128 KB,
    /// which stay in L2 cache until the optimiser reads them, instead of 3.2 MB written out and
    /// read back (`statnet bench train`, MLPNet on 1 thread: backward 13% faster than one
    /// update per layer).
    public static let gradientRowBlock = 32

    /// The most rows a block of either weight gradient has (the size of a `blockBuffer`).
    public static var largestGradientRowBlock: Int { max(gradientRowBlock, denseGradientRowBlock) }

    /// The dense weight gradient's block: each block is one GEMM, which packs all of `dy` again,
    /// so 32 rows cost a quarter more than one call (BLAS SkylakeX kernel, 784 x 1024 x 64);
    /// 128 rows (512 KB) cost about as much as one call and still wait in L2 for the optimiser.
    public static let denseGradientRowBlock = 128

    /// `dx = dy W = dy Wt^T`: `[batch, out] -> [batch, in]`.
    @inline(__always)
    public func backwardInput<S: NetworkScalar>(gradOutput dy: UnsafePointer<S>, batch: Int, parameters: UnsafePointer<S>,
                                                into dx: UnsafeMutablePointer<S>) {
        gemm(dy, parameters + weight.offset, transposeB: true, into: dx, m: batch, n: inputCount, k: outputCount)
    }
}

/// The neck reads the four branch outputs concatenated, `[batch, 4 * hidden]`. That
/// concatenation is never copied: block `i` of the input meets rows `block` of `Wt`, so
/// `y = sum_i x_i Wt[block_i, :] + b`, and each branch's share of the work (and of the
/// gradient) can run on its own core.
extension Linear {
    /// `y (+)= x_block Wt[block, :]`, `[batch, block.count] -> [batch, out]`; the bias is not added.
    @inline(__always)
    public func forwardBlock<S: NetworkScalar>(_ x: UnsafePointer<S>, block: Range<Int>, batch: Int,
                                               parameters: UnsafePointer<S>, into y: UnsafeMutablePointer<S>) {
        gemm(x, parameters + weight.offset + block.lowerBound * outputCount, into: y,
             m: batch, n: outputCount, k: block.count)
    }

    /// `dWt[block, :] = x_block^T dy`.
    @inline(__always)
    public func backwardBlockWeights<S: NetworkScalar>(input x: UnsafePointer<S>, block: Range<Int>, gradOutput dy: UnsafePointer<S>,
                                                       batch: Int, gradients: UnsafeMutablePointer<S>) {
        gemm(x, transposeA: true, dy, into: gradients + weight.offset + block.lowerBound * outputCount,
             m: block.count, n: outputCount, k: batch)
    }

    /// `dx_block = dy Wt[block, :]^T`, `[batch, out] -> [batch, block.count]`.
    @inline(__always)
    public func backwardBlockInput<S: NetworkScalar>(gradOutput dy: UnsafePointer<S>, block: Range<Int>, batch: Int,
                                                     parameters: UnsafePointer<S>, into dx: UnsafeMutablePointer<S>) {
        gemm(dy, parameters + weight.offset + block.lowerBound * outputCount, transposeB: true, into: dx,
             m: batch, n: block.count, k: outputCount)
    }

    /// Where rows `block` of the stored weight sit in the flat buffer.
    public func weightRows(_ block: Range<Int>) -> Range<Int> {
        weight.offset + block.lowerBound * outputCount..<weight.offset + block.upperBound * outputCount
    }

    /// The other way: the input rows whose weights `range` of the flat buffer holds, if it lies
    /// within this layer's weight and covers whole rows.
    public func inputRows(ofWeightRange range: Range<Int>) -> Range<Int>? {
        guard weight.range.contains(range.lowerBound), range.upperBound <= weight.range.upperBound,
              (range.lowerBound - weight.offset) % outputCount == 0, range.count % outputCount == 0 else { return nil }
        let first = (range.lowerBound - weight.offset) / outputCount
        return first..<first + range.count / outputCount
    }
}
