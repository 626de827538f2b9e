import CKernels
import COpenBLAS
import Foundation

/// The scalar types the network runs in: Float for training, Double for gradient checks and
/// the PyTorch parity test. Everything generic over it is specialised for Float inside the
/// module (whole-module optimisation), so the hot path has no generic dispatch.
public protocol NetworkScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable where RawSignificand: FixedWidthInteger {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    /// cblas `?gemm`, row-major, with leading dimensions.
    static func blasGemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                         a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                         beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// The sparse first layer's kernels (see ckernels.h): `out[r, :] = initScale[r] * initVector +
    /// sum_k value[k] * source[index[k], :]` over row r's entries (gather), and the same sums
    /// grouped by source row (scatter). Strides in elements; each output element is summed in
    /// the same order, one fused multiply-add per term.
    static func sparseGather(rows: Int, columns: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>, value: UnsafePointer<Self>,
                             source: UnsafePointer<Self>, sourceStride: Int, initScale: UnsafePointer<Self>?,
                             initVector: UnsafePointer<Self>?, into out: UnsafeMutablePointer<Self>, outStride: Int)
    static func sparseScatter(positions: Int, rows: Int, columns: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>,
                              value: UnsafePointer<Self>, weight: UnsafePointer<Self>, weightStride: Int, initVector: UnsafePointer<Self>,
                              into out: UnsafeMutablePointer<Self>, outStride: Int)
    /// ReLU then inverted dropout at p = 1/2, in place: `z[i] = (bit i && z[i] > 0) ? 2 z[i] : 0`,
    /// bit i being bit `i % 64` of `bits[i / 64]` (see `Kernels.reluDropout`).
    static func reluDropoutHalf(_ z: UnsafeMutableBufferPointer<Self>, bits: UnsafeBufferPointer<UInt64>)
    /// `gradient[i] = output[i] > 0 ? gradient[i] * scale : 0` (see `Kernels.reluDropoutBackward`).
    static func reluDropoutBackward(_ gradient: UnsafeMutableBufferPointer<Self>, output: UnsafeBufferPointer<Self>, scale: Self)
    /// `y[r, c] += bias[c]` for `y: [rows, bias.count]` (see `Kernels.addBias`).
    static func addBias(_ y: UnsafeMutablePointer<Self>, _ bias: UnsafeBufferPointer<Self>, rows: Int)
    /// `sum[c] = sum_r x[r, c]`, each column in row order from 0 (see `Kernels.columnSums`).
    static func columnSums(_ x: UnsafePointer<Self>, rows: Int, into sum: UnsafeMutableBufferPointer<Self>)
    /// `sum[c] += sum_r coefficients[r] * m[r, c]`, one fused multiply-add per row in row order
    /// (see `Kernels.accumulateRowCombination`).
    static func accumulateRowCombination(_ coefficients: UnsafePointer<Self>, rows: Int, of m: UnsafePointer<Self>,
                                         into sum: UnsafeMutableBufferPointer<Self>)
    /// One fused Adam step over `count` parameters (see `Adam.update`).
    static func adamUpdate(count: Int, constants: Adam<Self>.StepConstants, parameters: UnsafeMutablePointer<Self>,
                           gradients: UnsafePointer<Self>, m: UnsafeMutablePointer<Self>, v: UnsafeMutablePointer<Self>)
}

extension Float: NetworkScalar {
    @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inline(__always)
    public static func blasGemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Float {
    /// The C kernels (ckernels.h): vectorised, the same bits as the scalar loops.
    @inline(__always)
    public static func reluDropoutBackward(_ gradient: UnsafeMutableBufferPointer<Float>, output: UnsafeBufferPointer<Float>, scale: Float) {
        statnet_relu_dropout_backward_f32(gradient.baseAddress!, output.baseAddress!, gradient.count, scale)
    }

    @inline(__always)
    public static func addBias(_ y: UnsafeMutablePointer<Float>, _ bias: UnsafeBufferPointer<Float>, rows: Int) {
        statnet_add_bias_f32(rows, bias.count, y, bias.baseAddress!)
    }

    @inline(__always)
    public static func columnSums(_ x: UnsafePointer<Float>, rows: Int, into sum: UnsafeMutableBufferPointer<Float>) {
        statnet_column_sums_f32(rows, sum.count, x, sum.baseAddress!)
    }

    @inline(__always)
    public static func accumulateRowCombination(_ coefficients: UnsafePointer<Float>, rows: Int, of m: UnsafePointer<Float>,
                                                into sum: UnsafeMutableBufferPointer<Float>) {
        statnet_row_combination_f32(rows, sum.count, coefficients, m, sum.baseAddress!)
    }

    @inline(__always)
    public static func reluDropoutHalf(_ z: UnsafeMutableBufferPointer<Float>, bits: UnsafeBufferPointer<UInt64>) {
        precondition(bits.count * UInt64.bitWidth >= z.count)
        statnet_relu_dropout_half_f32(z.baseAddress!, z.count, bits.baseAddress!)
    }

    @inline(__always)
    public static func sparseGather(rows: Int, columns: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>, value: UnsafePointer<Float>,
                                    source: UnsafePointer<Float>, sourceStride: Int, initScale: UnsafePointer<Float>?,
                                    initVector: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        statnet_sparse_gather_f32(rows, columns, start, index, value, source, sourceStride, initScale, initVector, out, outStride)
    }

    @inline(__always)
    public static func sparseScatter(positions: Int, rows: Int, columns: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>,
                                     value: UnsafePointer<Float>, weight: UnsafePointer<Float>, weightStride: Int, initVector: UnsafePointer<Float>,
                                     into out: UnsafeMutablePointer<Float>, outStride: Int) {
        statnet_sparse_scatter_f32(positions, rows, columns, start, index, value, weight, weightStride, initVector, out, outStride)
    }

    /// Training's case: the C kernel compiled for AVX-512 / AVX2 (see ckernels.h).
    @inline(__always)
    public static func adamUpdate(count: Int, constants k: Adam<Float>.StepConstants, parameters: UnsafeMutablePointer<Float>,
                                  gradients: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>) {
        statnet_adam_f32(count, parameters, gradients, m, v, k.beta1, k.beta2, k.oneMinusBeta1, k.oneMinusBeta2,
                         k.stepSize, k.inverseCorrection2Sqrt, k.epsilon)
    }
}

extension Double: NetworkScalar {
    public static func reluDropoutBackward(_ gradient: UnsafeMutableBufferPointer<Double>, output: UnsafeBufferPointer<Double>, scale: Double) {
        for i in 0..<gradient.count { gradient[i] = output[i] > 0 ? gradient[i] * scale : 0 }
    }

    public static func addBias(_ y: UnsafeMutablePointer<Double>, _ bias: UnsafeBufferPointer<Double>, rows: Int) {
        for r in 0..<rows {
            for c in 0..<bias.count { y[r * bias.count + c] += bias[c] }
        }
    }

    public static func columnSums(_ x: UnsafePointer<Double>, rows: Int, into sum: UnsafeMutableBufferPointer<Double>) {
        let columns = sum.count
        for c in 0..<columns { sum[c] = 0 }
        for r in 0..<rows {
            for c in 0..<columns { sum[c] += x[r * columns + c] }
        }
    }

    public static func accumulateRowCombination(_ coefficients: UnsafePointer<Double>, rows: Int, of m: UnsafePointer<Double>,
                                                into sum: UnsafeMutableBufferPointer<Double>) {
        let columns = sum.count
        for r in 0..<rows {
            for c in 0..<columns { sum[c] = sum[c].addingProduct(coefficients[r], m[r * columns + c]) }
        }
    }

    public static func reluDropoutHalf(_ z: UnsafeMutableBufferPointer<Double>, bits: UnsafeBufferPointer<UInt64>) {
        for i in 0..<z.count {
            let keep = bits[i / UInt64.bitWidth] >> UInt64(i % UInt64.bitWidth) & 1 == 1
            z[i] = keep && z[i] > 0 ? z[i] * 2 : 0
        }
    }

    /// The same sums as the C kernels, in the same order, in Swift.
    public static func sparseGather(rows: Int, columns n: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>, value: UnsafePointer<Double>,
                                    source: UnsafePointer<Double>, sourceStride: Int, initScale: UnsafePointer<Double>?,
                                    initVector: UnsafePointer<Double>?, into out: UnsafeMutablePointer<Double>, outStride: Int) {
        for r in 0..<rows {
            let o = out + r * outStride
            for j in 0..<n { o[j] = initScale.flatMap { s in initVector.map { s[r] * $0[j] } } ?? 0 }
            for k in Int(start[r])..<Int(start[r + 1]) {
                let row = source + Int(index[k]) * sourceStride, v = value[k]
                for j in 0..<n { o[j] = o[j].addingProduct(v, row[j]) }
            }
        }
    }

    public static func sparseScatter(positions: Int, rows: Int, columns n: Int, start: UnsafePointer<Int32>, index: UnsafePointer<Int32>,
                                     value: UnsafePointer<Double>, weight: UnsafePointer<Double>, weightStride: Int, initVector: UnsafePointer<Double>,
                                     into out: UnsafeMutablePointer<Double>, outStride: Int) {
        for r in 0..<rows { for j in 0..<n { out[r * outStride + j] = initVector[j] } }
        for p in 0..<positions {
            for k in Int(start[p])..<Int(start[p + 1]) {
                let o = out + Int(index[k]) * outStride, w = weight + p * weightStride, v = value[k]
                for j in 0..<n { o[j] = o[j].addingProduct(v, w[j]) }
            }
        }
    }

    /// The portable Swift kernel (the gradient checks and the parity test).
    @inline(__always)
    public static func adamUpdate(count: Int, constants: Adam<Double>.StepConstants, parameters: UnsafeMutablePointer<Double>,
                                  gradients: UnsafePointer<Double>, m: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>) {
        Adam.updatePortable(0..<count, constants: constants, parameters: parameters, gradients: gradients, m: m, v: v)
    }

    @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always)
    public static func blasGemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                                a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                                beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
