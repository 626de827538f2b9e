/// Element-wise kernels of the network on buffer pointers: they neither allocate nor check
/// bounds in the hot loop (the shapes are checked once per call). For Float the loops are C
/// kernels (ckernels.h), which the compiler vectorises; for Double, Swift loops. Shapes are in
/// the comments; every one is row-major.
public enum Kernels {
    /// `y[b, o] += bias[o]` for `y: [rows, bias.count]`.
    @inline(__always)
    public static func addBias<S: NetworkScalar>(_ y: UnsafeMutableBufferPointer<S>, _ bias: UnsafeBufferPointer<S>, rows: Int) {
        precondition(y.count >= rows * bias.count)
        guard rows > 0, !bias.isEmpty else { return }
        S.addBias(y.baseAddress!, bias, rows: rows)
    }

    /// `sum[c] = sum_r x[r, c]` (the bias gradient of a linear layer): `[rows, sum.count] -> [sum.count]`.
    @inline(__always)
    public static func columnSums<S: NetworkScalar>(_ x: UnsafeBufferPointer<S>, rows: Int, into sum: UnsafeMutableBufferPointer<S>) {
        precondition(x.count >= rows * sum.count)
        guard !sum.isEmpty else { return }
        guard rows > 0 else { return sum.initialize(repeating: 0) }
        S.columnSums(x.baseAddress!, rows: rows, into: sum)
    }

    /// `sum[c] += sum_r coefficients[r] * m[r, c]`, `[rows] x [rows, sum.count] -> [sum.count]`: one
    /// fused multiply-add per row in row order, so the rows may come in consecutive blocks and
    /// give the same bits (the folded normalisation's `offset Wt`, see `Linear.accumulateOffsetProduct`).
    @inline(__always)
    public static func accumulateRowCombination<S: NetworkScalar>(_ coefficients: UnsafeBufferPointer<S>, of m: UnsafePointer<S>,
                                                                  into sum: UnsafeMutableBufferPointer<S>) {
        guard !coefficients.isEmpty, !sum.isEmpty else { return }
        S.accumulateRowCombination(coefficients.baseAddress!, rows: coefficients.count, of: m, into: sum)
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
                S.reluDropoutHalf(z, bits: UnsafeBufferPointer(bits))
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
        S.reluDropoutBackward(gradient, output: output, scale: S(1 / (1 - p)))
    }
}
