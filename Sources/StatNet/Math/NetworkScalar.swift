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
    /// Training's case: the C kernel compiled for AVX-512 / AVX2 (see ckernels.h).
    @inline(__always)
    public static func adamUpdate(count: Int, constants k: Adam<Float>.StepConstants, parameters: UnsafeMutablePointer<Float>,
                                  gradients: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>) {
        statnet_adam_f32(count, parameters, gradients, m, v, k.beta1, k.beta2, k.oneMinusBeta1, k.oneMinusBeta2,
                         k.stepSize, k.inverseCorrection2Sqrt, k.epsilon)
    }
}

extension Double: NetworkScalar {
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
