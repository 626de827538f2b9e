/// Batches of an index list, reshuffled every epoch by its own generator (whose state a
/// checkpoint keeps); the last, smaller batch is kept.
public struct BatchSampler: Sendable, Equatable {
    public let indices: [Int]
    public let batchSize: Int
    public var rng: SplitMix64

    public init(indices: [Int], batchSize: Int, seed: UInt64) {
        precondition(batchSize >= 1)
        self.indices = indices
        self.batchSize = batchSize
        rng = SplitMix64(seed: seed)
    }

    public var batchesPerEpoch: Int { (indices.count + batchSize - 1) / batchSize }

    /// This epoch's order; advances the generator.
    public mutating func epochOrder() -> [Int] {
        var order = indices
        rng.shuffle(&order)
        return order
    }

    /// Batch `b` of an epoch order.
    public func batch(_ b: Int, of order: [Int]) -> ArraySlice<Int> {
        order[b * batchSize..<min((b + 1) * batchSize, order.count)]
    }
}
