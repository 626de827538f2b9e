/// One batch of network input, in buffers reused from batch to batch: the features
/// channel-major, `[channels][count][inputCount]` (channel c's rows start at
/// `c * count * inputCount`), and one label per image. The features library fills it; the
/// network reads it and keeps nothing of it after the forward pass returns.
public struct FeatureBatch<S: NetworkScalar>: Sendable {
    public let capacity: Int
    public let inputCount: Int
    /// Room for `capacity` images of every channel.
    public var features: [S]
    public var labels: [UInt8]
    /// Images in the batch now, at most `capacity`.
    public var count: Int

    public init(capacity: Int, inputCount: Int, channels: Int = FeatureChannel.count) {
        precondition(capacity >= 1 && inputCount >= 1 && channels >= 1, "a batch holds at least one value")
        self.capacity = capacity
        self.inputCount = inputCount
        features = [S](repeating: 0, count: channels * capacity * inputCount)
        labels = [UInt8](repeating: 0, count: capacity)
        count = capacity
    }

    /// A batch of `labels.count` images from features given channel-major for exactly that many.
    public init(features: [S], labels: [UInt8], inputCount: Int, channels: Int = FeatureChannel.count) {
        precondition(features.count == channels * labels.count * inputCount, "features are [\(channels)][\(labels.count)][\(inputCount)]")
        capacity = labels.count
        count = labels.count
        self.inputCount = inputCount
        self.features = features
        self.labels = labels
    }
}
