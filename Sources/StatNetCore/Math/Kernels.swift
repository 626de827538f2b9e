import CKernels

/// Element-wise kernels of the network on buffer pointers: they neither allocate nor check
/// bounds in the hot loop (the shapes are checked once per call). Every shape is row-major.
///
/// Each function is written once in Swift (`Kernels.Reference`, the loops a reader checks and
/// the tests compare with); for Float it runs a C kernel instead (ckernels.h), compiled per
/// instruction set and vectorised, with the same operations in the same order: the same bits.
/// The choice is a type test that specialisation removes (`S.self == Float.self`).
public enum Kernels {
    /// `y[b, o] += bias[o]` for `y: [rows, bias.count]`.
    @inline(__always)
    public static func addBias<S: NetworkScalar>(_ y: UnsafeMutableBufferPointer<S>, _ bias: UnsafeBufferPointer<S>, rows: Int) {
        precondition(y.count >= rows * bias.count)
        guard rows > 0, !bias.isEmpty else { return }
        if S.self == Float.self {
            statnet_add_bias_f32(rows, bias.count, floats(y.baseAddress!), floats(bias.baseAddress!))
        } else {
            Reference.addBias(y.baseAddress!, bias, rows: rows)
        }
    }

    /// `sum[c] = sum_r x[r, c]` (the bias gradient of a linear layer): `[rows, sum.count] -> [sum.count]`,
    /// each column summed in row order from 0.
    @inline(__always)
    public static func columnSums<S: NetworkScalar>(_ x: UnsafeBufferPointer<S>, rows: Int, into sum: UnsafeMutableBufferPointer<S>) {
        precondition(x.count >= rows * sum.count)
        guard !sum.isEmpty else { return }
        guard rows > 0 else { return sum.initialize(repeating: 0) }
        if S.self == Float.self {
            statnet_column_sums_f32(rows, sum.count, floats(x.baseAddress!), floats(sum.baseAddress!))
        } else {
            Reference.columnSums(x.baseAddress!, rows: rows, into: sum)
        }
    }

    /// `sum[c] += sum_r coefficients[r] * m[r, c]`, `[rows] x [rows, sum.count] -> [sum.count]`: one
    /// fused multiply-add per row in row order, so the rows may come in consecutive blocks and
    /// give the same bits (the folded normalisation's `offset Wt`, see `Linear.accumulateOffsetProduct`).
    @inline(__always)
    public static func accumulateRowCombination<S: NetworkScalar>(_ coefficients: UnsafeBufferPointer<S>, of m: UnsafePointer<S>,
                                                                  into sum: UnsafeMutableBufferPointer<S>) {
        guard !coefficients.isEmpty, !sum.isEmpty else { return }
        if S.self == Float.self {
            statnet_row_combination_f32(coefficients.count, sum.count, floats(coefficients.baseAddress!), floats(m), floats(sum.baseAddress!))
        } else {
            Reference.accumulateRowCombination(coefficients.baseAddress!, rows: coefficients.count, of: m, into: sum)
        }
    }

    /// ReLU then inverted dropout, in place: `y = relu(z) * keep / (1 - p)`.
    /// For p = 0.5 (the paper's) one random bit per element decides; otherwise the
    /// generator's uniform floats are compared with p. With `p == 0` (or in evaluation) it is a plain ReLU.
    @inline(__always)
    public static func reluDropout<S: NetworkScalar>(_ z: UnsafeMutableBufferPointer<S>, p: Double, rng: inout SplitMix64) {
        let count = z.count
        if p == 0 {
            for i in 0..<count where !(z[i] > 0) { z[i] = 0 }
            return
        }
        let scale = S(1 / (1 - p))
        if p == 0.5 {
            // One random bit per element: element i takes bit i % 64 of word i / 64.
            let words = (count + UInt64.bitWidth - 1) / UInt64.bitWidth
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { bits in
                for w in 0..<words { bits[w] = rng.next() }
                guard count > 0 else { return }
                if S.self == Float.self {
                    statnet_relu_dropout_half_f32(floats(z.baseAddress!), count, bits.baseAddress!)
                } else {
                    Reference.reluDropoutHalf(z, bits: UnsafeBufferPointer(bits))
                }
            }
        } else {
            let drop = Float(p)
            for i in 0..<count {
                let keep = rng.nextUnitFloat() >= drop
                z[i] = (keep && z[i] > 0) ? z[i] * scale : 0
            }
        }
    }

    /// Backward of ReLU + inverted dropout, in place on the gradient: an output is non-zero
    /// exactly when its unit passed both, and then its derivative is the dropout scale.
    @inline(__always)
    public static func reluDropoutBackward<S: NetworkScalar>(_ gradient: UnsafeMutableBufferPointer<S>, output: UnsafeBufferPointer<S>, p: Double) {
        precondition(output.count >= gradient.count)
        guard !gradient.isEmpty else { return }
        let scale = S(1 / (1 - p))
        if S.self == Float.self {
            statnet_relu_dropout_backward_f32(floats(gradient.baseAddress!), floats(output.baseAddress!), gradient.count, Float(scale))
        } else {
            Reference.reluDropoutBackward(gradient, output: output, scale: scale)
        }
    }

    /// The sparse first layer's weight gradient (see ckernels.h): `out[r, :] = initScale[r] *
    /// initVector + sum_k value[k] * source[index[k], :]` over row r's entries `start[r] ..< start[r + 1]`
    /// (a zero start when either init is nil). Strides in elements; one fused multiply-add per term.
    @inline(__always)
    public static func sparseGather<S: NetworkScalar>(rows: Int, columns: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>,
                                                      value: UnsafePointer<S>, source: UnsafePointer<S>, sourceStride: Int,
                                                      initScale: UnsafePointer<S>?, initVector: UnsafePointer<S>?,
                                                      into out: UnsafeMutablePointer<S>, outStride: Int) {
        if S.self == Float.self {
            statnet_sparse_gather_f32(rows, columns, start, index, floats(value), floats(source), sourceStride,
                                      initScale.map(floats), initVector.map(floats), floats(out), outStride)
        } else {
            Reference.sparseGather(rows: rows, columns: columns, start: start, index: index, value: value, source: source,
                                   sourceStride: sourceStride, initScale: initScale, initVector: initVector, into: out, outStride: outStride)
        }
    }

    /// The sparse first layer's forward pass: the same sums grouped by weight row,
    /// `out[r, :] = initVector + sum over positions p and their entries k with index[k] = r of value[k] * weight[p, :]`.
    @inline(__always)
    public static func sparseScatter<S: NetworkScalar>(positions: Int, rows: Int, columns: Int, start: UnsafePointer<Int32>,
                                                       index: UnsafePointer<Int32>, value: UnsafePointer<S>, weight: UnsafePointer<S>,
                                                       weightStride: Int, initVector: UnsafePointer<S>,
                                                       into out: UnsafeMutablePointer<S>, outStride: Int) {
        if S.self == Float.self {
            statnet_sparse_scatter_f32(positions, rows, columns, start, index, floats(value), floats(weight), weightStride,
                                       floats(initVector), floats(out), outStride)
        } else {
            Reference.sparseScatter(positions: positions, rows: rows, columns: columns, start: start, index: index, value: value,
                                    weight: weight, weightStride: weightStride, initVector: initVector, into: out, outStride: outStride)
        }
    }

    /// The same memory as Float, after a caller has checked that `S` is Float.
    @inline(__always) static func floats<S>(_ p: UnsafePointer<S>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inline(__always) static func floats<S>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}

extension Kernels {
    /// The kernels as plain Swift loops, for any scalar: what Double runs, and what the tests
    /// compare Float's C kernels with, bit for bit.
    public enum Reference {
        public static func addBias<S: NetworkScalar>(_ y: UnsafeMutablePointer<S>, _ bias: UnsafeBufferPointer<S>, rows: Int) {
            for r in 0..<rows {
                for c in 0..<bias.count { y[r * bias.count + c] += bias[c] }
            }
        }

        public static func columnSums<S: NetworkScalar>(_ x: UnsafePointer<S>, rows: Int, into sum: UnsafeMutableBufferPointer<S>) {
            let columns = sum.count
            for c in 0..<columns { sum[c] = 0 }
            for r in 0..<rows {
                for c in 0..<columns { sum[c] += x[r * columns + c] }
            }
        }

        public static func accumulateRowCombination<S: NetworkScalar>(_ coefficients: UnsafePointer<S>, rows: Int, of m: UnsafePointer<S>,
                                                                      into sum: UnsafeMutableBufferPointer<S>) {
            let columns = sum.count
            for r in 0..<rows {
                for c in 0..<columns { sum[c] = sum[c].addingProduct(coefficients[r], m[r * columns + c]) }
            }
        }

        /// `z[i] = (bit i && z[i] > 0) ? 2 z[i] : 0`, bit i being bit `i % 64` of `bits[i / 64]`.
        public static func reluDropoutHalf<S: NetworkScalar>(_ z: UnsafeMutableBufferPointer<S>, bits: UnsafeBufferPointer<UInt64>) {
            precondition(bits.count * UInt64.bitWidth >= z.count)
            for i in 0..<z.count {
                let keep = bits[i / UInt64.bitWidth] >> UInt64(i % UInt64.bitWidth) & 1 == 1
                z[i] = keep && z[i] > 0 ? z[i] * 2 : 0
            }
        }

        /// `gradient[i] = output[i] > 0 ? gradient[i] * scale : 0`.
        public static func reluDropoutBackward<S: NetworkScalar>(_ gradient: UnsafeMutableBufferPointer<S>, output: UnsafeBufferPointer<S>, scale: S) {
            for i in 0..<gradient.count { gradient[i] = output[i] > 0 ? gradient[i] * scale : 0 }
        }

        public static func sparseGather<S: NetworkScalar>(rows: Int, columns n: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>,
                                                          value: UnsafePointer<S>, source: UnsafePointer<S>, sourceStride: Int,
                                                          initScale: UnsafePointer<S>?, initVector: UnsafePointer<S>?,
                                                          into out: UnsafeMutablePointer<S>, outStride: Int) {
            for r in 0..<rows {
                let o = out + r * outStride
                for j in 0..<n { o[j] = initScale.flatMap { s in initVector.map { s[r] * $0[j] } } ?? 0 }
                for k in Int(start[r])..<Int(start[r + 1]) {
                    let row = source + Int(index[k]) * sourceStride, v = value[k]
                    for j in 0..<n { o[j] = o[j].addingProduct(v, row[j]) }
                }
            }
        }

        public static func sparseScatter<S: NetworkScalar>(positions: Int, rows: Int, columns n: Int, start: UnsafePointer<Int32>,
                                                           index: UnsafePointer<Int32>, value: UnsafePointer<S>, weight: UnsafePointer<S>,
                                                           weightStride: Int, initVector: UnsafePointer<S>,
                                                           into out: UnsafeMutablePointer<S>, outStride: Int) {
            for r in 0..<rows { for j in 0..<n { out[r * outStride + j] = initVector[j] } }
            for p in 0..<positions {
                for k in Int(start[p])..<Int(start[p + 1]) {
                    let o = out + Int(index[k]) * outStride, w = weight + p * weightStride, v = value[k]
                    for j in 0..<n { o[j] = o[j].addingProduct(v, w[j]) }
                }
            }
        }
    }
}
