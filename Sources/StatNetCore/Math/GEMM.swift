import COpenBLAS

/// The one BLAS seam: `c = alpha * op(a) * op(b) + beta * c` on contiguous row-major buffers.
///
/// `op(a)` is `[m, k]`, `op(b)` is `[k, n]`, `c` is `[m, n]`; `a` is stored `[m, k]`, or
/// `[k, m]` when `transposeA`; likewise `b`. `rowStrideA`, when given, is the distance between
/// rows of `a` as stored (for a block of columns of a wider matrix).
@inline(__always)
public func gemm<S: NetworkScalar>(_ a: UnsafePointer<S>, transposeA: Bool = false, rowStrideA: Int? = nil,
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
               a: a, lda: rowStrideA ?? (transposeA ? m : k), b: b, ldb: transposeB ? k : n, beta: beta, c: c, ldc: n)
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
