/// Images to network input in one call: the four feature channels of a batch, normalised,
/// computed on the fly on up to `threads` cores into a caller-provided buffer.
public struct FeaturePipeline: Sendable {
    public let extractor: FeatureExtractor
    public let normaliser: Normaliser

    public init(extractor: FeatureExtractor, normaliser: Normaliser) {
        precondition(extractor.length == normaliser.length, "normaliser fitted for another image size")
        self.extractor = extractor
        self.normaliser = normaliser
    }

    /// `output`: channel-major `[4][indices.count][D]`. With `normalised: false` the raw
    /// channels (the network then applies the normalisation itself, see `InputNormalisation`).
    /// With `runningChannels: false` only energy and level are computed (and normalised).
    public func compute(pixels: UnsafeBufferPointer<UInt8>, indices: UnsafeBufferPointer<Int>,
                        into output: UnsafeMutableBufferPointer<Float>, threads: Int, normalised: Bool = true,
                        runningChannels: Bool = true) {
        let count = indices.count
        let workers = max(1, min(threads, count))
        parallelFor(workers, threads: workers) { w in
            extractor.compute(pixels: pixels, indices: indices, rows: count * w / workers..<count * (w + 1) / workers, into: output,
                              runningChannels: runningChannels)
        }
        guard normalised else { return }
        let channels = runningChannels ? FeatureChannel.count : FeatureChannel.entropy.rawValue
        parallelFor(channels, threads: threads) { c in
            normaliser.apply(to: output, count: count, channels: c..<c + 1)
        }
    }
}
