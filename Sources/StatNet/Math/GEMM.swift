import COpenBLAS

/// The one BLAS seam: `c = alpha * op(a) * op(b) + beta * c` on row-major Float buffers.
///
/// `op(a)` is `[m, k]`, `op(b)` is `[k, n]`, `c` is `[m, n]`; `a` is stored `[m, k]`, or
/// `[k, m]` when `transposeA`; likewise `b`.
@inline(__always)
public func gemm(_ a: UnsafePointer<Float>, transposeA: Bool = false,
                 _ b: UnsafePointer<Float>, transposeB: Bool = false,
                 into c: UnsafeMutablePointer<Float>,
                 m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
    if m == 0 || n == 0 { return }
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(transposeA ? m : k),
                b, Int32(transposeB ? k : n),
                beta, c, Int32(n))
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
