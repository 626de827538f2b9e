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

extension Double: NetworkScalar {
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

/// The one BLAS seam: `c = alpha * op(a) * op(b) + beta * c` on contiguous row-major buffers.
///
/// `op(a)` is `[m, k]`, `op(b)` is `[k, n]`, `c` is `[m, n]`; `a` is stored `[m, k]`, or
/// `[k, m]` when `transposeA`; likewise `b`.
@inline(__always)
public func gemm<S: NetworkScalar>(_ a: UnsafePointer<S>, transposeA: Bool = false,
                                   _ b: UnsafePointer<S>, transposeB: Bool = false,
                                   into c: UnsafeMutablePointer<S>,
                                   m: Int, n: Int, k: Int, alpha: S = 1, beta: S = 0) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
    if m == 0 || n == 0 { return }
    if k == 0 {  // BLAS leaves c untouched when k = 0 only if beta = 1; make it explicit
        for i in 0..<m * n { c[i] = beta == 0 ? 0 : beta * c[i] }
        return
    }
    S.blasGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
               a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, beta: beta, c: c, ldc: n)
}

/// BLAS threading, set explicitly and recorded with every result.
public enum BLAS {
    public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }
    public static var threads: Int { Int(openblas_get_num_threads()) }
    /// The kernel OpenBLAS chose for this processor (for example "SkylakeX", "Haswell").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
