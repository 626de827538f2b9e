/// One batch of network input: raw features (channel-major `[4][rows][D]`; the learner
/// normalises) and labels, in buffers reused from batch to batch.
struct Batch {
    var features: [Float]
    var labels: [UInt8]
    /// Whether the network reads entropy or mean energy; if not, they are not computed.
    let runningChannels: Bool

    init(capacity: Int, network: FourBranchNetwork) {
        features = [Float](repeating: 0, count: FeatureChannel.count * capacity * network.shape.inputCount)
        labels = [UInt8](repeating: 0, count: capacity)
        runningChannels = network.readsRunningChannels
    }

    /// Features and labels of images `rows` of `split`, computed on up to `threads` cores.
    mutating func fill(_ rows: ArraySlice<Int>, from split: MNISTSplit, pipeline: FeaturePipeline, threads: Int) {
        for (k, i) in rows.enumerated() { labels[k] = split.labels[i] }
        split.pixels.withUnsafeBufferPointer { px in
            rows.withUnsafeBufferPointer { idx in
                features.withUnsafeMutableBufferPointer { pipeline.compute(pixels: px, indices: idx, into: $0, threads: threads, normalised: false,
                                                                          runningChannels: runningChannels) }
            }
        }
    }
}
