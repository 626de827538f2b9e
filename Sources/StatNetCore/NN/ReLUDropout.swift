/// ReLU then inverted dropout, PyTorch's `nn.ReLU()` followed by `nn.Dropout(p)`, in place on
/// a layer's output. In training each unit is kept with probability 1 - p and scaled by
/// 1 / (1 - p); in evaluation it is a plain ReLU. The derivative sits beside the forward: an
/// output is non-zero exactly when its unit passed both, and then its derivative is the scale.
public struct ReLUDropout: Sendable, Equatable {
    /// The probability of dropping a unit in training (0.5 in the paper; 0 turns dropout off).
    public let p: Double

    public init(p: Double) {
        precondition((0..<1).contains(p), "dropout must be in [0, 1)")
        self.p = p
    }

    /// `[n] -> [n]` in place; the mask comes from `rng` (one bit per unit at p = 1/2).
    @inline(__always)
    public func forward<S: NetworkScalar>(_ z: UnsafeMutableBufferPointer<S>, training: Bool, rng: inout SplitMix64) {
        Kernels.reluDropout(z, p: training ? p : 0, rng: &rng)
    }

    /// `dz = dy * scale` where the output `y` is non-zero, else 0; in place on the gradient.
    @inline(__always)
    public func backward<S: NetworkScalar>(_ gradient: UnsafeMutableBufferPointer<S>, output: UnsafeBufferPointer<S>) {
        Kernels.reluDropoutBackward(gradient, output: output, p: p)
    }
}
