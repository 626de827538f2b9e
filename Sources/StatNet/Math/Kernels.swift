/// Element-wise kernels of the network, written on raw pointers so they neither allocate nor
/// check bounds in the hot loop. Shapes are in the comments; every one is row-major.
public enum Kernels {
    /// `y[b, o] += bias[o]` for `[rows, columns]`.
    @inline(__always)
    public static func addBias<S: NetworkScalar>(_ y: UnsafeMutablePointer<S>, _ bias: UnsafePointer<S>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let row = y + r * columns
            for c in 0..<columns { row[c] += bias[c] }
        }
    }

    /// `sum[c] = sum_r x[r, c]` (the bias gradient of a linear layer): `[rows, columns] -> [columns]`.
    @inline(__always)
    public static func columnSums<S: NetworkScalar>(_ x: UnsafePointer<S>, rows: Int, columns: Int, into sum: UnsafeMutablePointer<S>) {
        for c in 0..<columns { sum[c] = 0 }
        for r in 0..<rows {
            let row = x + r * columns
            for c in 0..<columns { sum[c] += row[c] }
        }
    }

    /// ReLU then inverted dropout, in place on `[count]`: `y = relu(z) * keep / (1 - p)`.
    /// `keepBits` supplies one random bit per element for p = 0.5 (the paper's), otherwise
    /// the generator's uniform floats are compared with p. With `p == 0` (or in evaluation) it is a plain ReLU.
    @inline(__always)
    public static func reluDropout<S: NetworkScalar>(_ z: UnsafeMutablePointer<S>, count: Int, p: Double,
                                                     rng: inout SplitMix64) {
        if p == 0 {
            for i in 0..<count where !(z[i] > 0) { z[i] = 0 }
            return
        }
        let scale = S(1 / (1 - p))
        if p == 0.5 {
            var i = 0
            while i < count {
                var bits = rng.next()
                let end = min(i + 64, count)
                while i < end {
                    let v = z[i]
                    z[i] = (bits & 1 == 1 && v > 0) ? v * scale : 0
                    bits >>= 1
                    i += 1
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
    public static func reluDropoutBackward<S: NetworkScalar>(_ gradient: UnsafeMutablePointer<S>, output: UnsafePointer<S>,
                                                             count: Int, p: Double) {
        let scale = S(1 / (1 - p))
        for i in 0..<count { gradient[i] = output[i] > 0 ? gradient[i] * scale : 0 }
    }
}
