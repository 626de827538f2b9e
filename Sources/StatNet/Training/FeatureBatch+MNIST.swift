extension FeatureBatch where S == Float {
    /// Room for `capacity` images of MNIST's size.
    public init(capacity: Int) {
        self.init(capacity: capacity, inputCount: MNISTSplit.pixelCount)
    }

    /// The raw features (the network normalises) and labels of images `rows` of `split`,
    /// computed on up to `threads` cores.
    /// - Parameters:
    ///   - runningChannels: whether to compute entropy and mean energy (MLPNet reads neither).
    public mutating func fill(_ rows: ArraySlice<Int>, from split: MNISTSplit, pipeline: FeaturePipeline, runningChannels: Bool, threads: Int) {
        precondition(rows.count <= capacity, "\(rows.count) images for a batch of \(capacity)")
        count = rows.count
        for (k, i) in rows.enumerated() { labels[k] = split.labels[i] }
        split.pixels.withUnsafeBufferPointer { px in
            rows.withUnsafeBufferPointer { idx in
                features.withUnsafeMutableBufferPointer { pipeline.compute(pixels: px, indices: idx, into: $0, threads: threads, normalised: false,
                                                                          runningChannels: runningChannels) }
            }
        }
    }
}
