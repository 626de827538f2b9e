/// A two-level bootstrap of a StatNet − MLPNet difference over seeds and test images: each
/// resample draws the seeds (pairs) with replacement, then for each drawn pair the test images
/// with replacement (the same images for both models of the pair), and averages the pairs'
/// differences. The 2.5% and 97.5% quantiles of `resamples` such means give an interval that
/// counts the test set's sampling as well as the seeds'. Seeded: the same data give the same
/// interval.
public enum PairedBootstrap {
    public static let resamples = 2_000
    public static let seed: UInt64 = 0xB007_57A9

    /// One pair: each image's value for StatNet and for MLPNet (1/0 correct, or a loss).
    public struct Pair: Sendable {
        public let statnet: [Double]
        public let mlpnet: [Double]
        public init(statnet: [Double], mlpnet: [Double]) {
            precondition(statnet.count == mlpnet.count && !statnet.isEmpty, "the same images for both models")
            self.statnet = statnet
            self.mlpnet = mlpnet
        }
    }

    /// The interval of the mean over pairs of mean(statnet − mlpnet), times `sign`.
    public static func interval(_ pairs: [Pair], sign: Double = 1, resamples: Int = resamples, seed: UInt64 = seed) -> (low: Double, high: Double)? {
        guard !pairs.isEmpty else { return nil }
        var rng = SplitMix64(seed: seed)
        let differences = pairs.map { p in zip(p.statnet, p.mlpnet).map { sign * ($0 - $1) } }
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var total = 0.0
            for _ in pairs.indices {
                let d = differences[Int(rng.next() % UInt64(pairs.count))]
                var sum = 0.0
                for _ in d.indices { sum += d[Int(rng.next() % UInt64(d.count))] }
                total += sum / Double(d.count)
            }
            means.append(total / Double(pairs.count))
        }
        means.sort()
        func quantile(_ q: Double) -> Double {
            // Linear interpolation between order statistics (numpy's default).
            let position = q * Double(means.count - 1), below = Int(position), fraction = position - Double(below)
            return below + 1 < means.count ? means[below] + fraction * (means[below + 1] - means[below]) : means[below]
        }
        return (quantile(0.025), quantile(0.975))
    }
}
