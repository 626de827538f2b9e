/// How a branch's first layer multiplies its input: the dense GEMM, or the sparse path that
/// touches only the non-zero inputs (`SparseInput`, `statnet_sparse_rows_f32`).
public enum FirstLayerPolicy: Sendable, Equatable {
    /// Sparse when the batch's channel has at most `sparseDensityLimit` non-zeros: the choice
    /// depends on the data only, so results stay the same on every machine and thread count.
    case automatic
    case alwaysDense
    case alwaysSparse

    /// The density below which the sparse path is faster, measured with `statnet bench sparse`
    /// (forward and weight gradient of one 784 -> 1024 layer, batch 64, one core, AVX-512): on
    /// inputs whose non-zeros fall uniformly at random the two cross at 0.25 (sparse/dense
    /// 0.83 at 0.20, 0.99 at 0.25, 1.16 at 0.30). Real strokes favour the sparse path further
    /// (MNIST's pixel channel, density 0.19: 0.49-0.64), and MNIST's channels sit far from
    /// the limit on either side (0.19 for pixels and levels; 0.80 and 1.0 for mean energy and
    /// entropy), so its exact value hardly matters here.
    public static let sparseDensityLimit = 0.25

    public func usesSparse(density: Double) -> Bool {
        switch self {
        case .automatic: density <= Self.sparseDensityLimit
        case .alwaysDense: false
        case .alwaysSparse: true
        }
    }
}
