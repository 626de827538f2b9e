/// The channel normalisation `x' = (x - mean) / std` as the network applies it, per channel
/// and position (`[4 * D]`), so that a mostly-zero channel can stay sparse: the first layer
/// then computes `x' W + b` as `(x / std) W + (b - (mean / std) W)`, with the matching weight
/// gradient `dW[p, :] = sum_b (x[b, p] / std[p]) dy[b, :] - (mean[p] / std[p]) db` (see
/// `FourBranchNetwork`). The dense path applies it explicitly, as the features library's
/// `Normaliser.apply` does.
public struct InputNormalisation<S: NetworkScalar>: Sendable {
    /// Positions per channel (D).
    public let length: Int
    public let mean: [S]
    public let std: [S]
    /// `mean / std`, the offset the folded form subtracts.
    public let offset: [S]
    /// `-mean / std`, the weight gradient's start value per position (times db).
    public let negatedOffset: [S]
    /// Per channel: whether some mean is not 0 (else the folded form needs no bias correction).
    public let channelHasOffset: [Bool]

    public init(mean: [S], std: [S], length: Int) {
        precondition(mean.count == FeatureChannel.count * length && std.count == mean.count, "[4 * length] means and stds")
        self.length = length
        self.mean = mean
        self.std = std
        offset = zip(mean, std).map { $0 / $1 }
        negatedOffset = offset.map { -$0 }
        channelHasOffset = (0..<FeatureChannel.count).map { c in mean[c * length..<(c + 1) * length].contains { $0 != 0 } }
    }

    /// `body` with channel `channel`'s `mean / std`, `[length]`.
    @inline(__always)
    public func withOffset<R>(channel: Int, _ body: (UnsafePointer<S>) -> R) -> R {
        offset.withUnsafeBufferPointer { body($0.baseAddress! + channel * length) }
    }

    /// `body` with channel `channel`'s `-mean / std`, `[length]`.
    @inline(__always)
    public func withNegatedOffset<R>(channel: Int, _ body: (UnsafePointer<S>) -> R) -> R {
        negatedOffset.withUnsafeBufferPointer { body($0.baseAddress! + channel * length) }
    }
}
