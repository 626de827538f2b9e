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
            throw DatasetSplitError.validationSize(validationSize, poolSize: poolSize)
        }
        let available = poolSize - validationSize
        let size = trainSize ?? available
        guard size >= 1, size <= available else {
            throw DatasetSplitError.trainSize(size, available: available, poolSize: poolSize, validationSize: validationSize)
        }
        var order = Array(0..<poolSize)
        var rng = SplitMix64(seed: seed ^ 0x5EED_5EED_5EED_5EED)
        rng.shuffle(&order)
        train = Array(order[0..<size])
        validation = Array(order[available..<poolSize])
    }
}

/// A split that cannot be made, said in words a user can act on.
public enum DatasetSplitError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The validation part must leave training images.
    case validationSize(Int, poolSize: Int)
    /// The training part must fit beside the validation part.
    case trainSize(Int, available: Int, poolSize: Int, validationSize: Int)

    public var description: String {
        switch self {
        case let .validationSize(size, pool):
            "validation size \(size) must be below the \(pool) training images"
        case let .trainSize(size, available, pool, validation):
            "train size \(size) must be between 1 and \(available) (\(pool) images minus \(validation) for validation)"
        }
    }
}
