/// The seeded split of MNIST's 60,000 training images (EXPERIMENTS.md): a fixed validation
/// part, and a training part of which the first `trainSize` images are used. The validation
/// part depends on the seed only, so experiment 2's smaller training sets share it.
public struct DatasetSplit: Sendable, Equatable {
    public let train: [Int]
    public let validation: [Int]

    public static let defaultValidationSize = 5_000

    /// `poolSize` images are shuffled with `seed`; the last `validationSize` of that order
    /// are the validation part, the first `trainSize` the training part.
    public init(poolSize: Int, validationSize: Int = defaultValidationSize, trainSize: Int? = nil, seed: UInt64) throws {
        guard validationSize >= 0, validationSize < poolSize else {
            throw ConfigurationError.validationSize(validationSize, poolSize: poolSize)
        }
        let available = poolSize - validationSize
        let size = trainSize ?? available
        guard size >= 1, size <= available else {
            throw ConfigurationError.trainSize(size, available: available, poolSize: poolSize, validationSize: validationSize)
        }
        var order = Array(0..<poolSize)
        var rng = SplitMix64(seed: seed ^ 0x5EED_5EED_5EED_5EED)
        rng.shuffle(&order)
        train = Array(order[0..<size])
        validation = Array(order[available..<poolSize])
    }
}
