/// The exact paired sign-flip (permutation) test of "the mean difference is 0": under the null
/// each difference is as likely negative as positive, so the p-value is the share of the 2^n
/// sign patterns whose mean is at least as far from 0 as the observed one. Distribution-free,
/// so a reader sees when a verdict rests on the t interval's normal model alone: with 5 pairs
/// no p-value falls below 2/32 = 0.0625.
public enum SignFlipTest {
    /// Up to this many pairs every pattern is enumerated; above, a seeded sample of patterns.
    public static let exactLimit = 20
    public static let sampledPatterns = 200_000

    /// Two-sided p-value for the differences `d`; 1 for no differences.
    public static func pValue(_ d: [Double]) -> Double {
        guard !d.isEmpty else { return 1 }
        let observed = abs(d.reduce(0, +))
        let tolerance = 1e-12 * max(1, d.map(abs).reduce(0, +))
        if d.count <= exactLimit {
            var atLeast = 0
            let patterns = 1 << d.count
            for pattern in 0..<patterns {
                var sum = 0.0
                for (i, x) in d.enumerated() { sum += pattern >> i & 1 == 1 ? -x : x }
                if abs(sum) >= observed - tolerance { atLeast += 1 }
            }
            return Double(atLeast) / Double(patterns)
        }
        var rng = SplitMix64(seed: 0x5167_F11F)
        var atLeast = 1   // the observed pattern counts once (a valid Monte Carlo p-value)
        for _ in 0..<sampledPatterns {
            var sum = 0.0
            for x in d { sum += rng.next() & 1 == 1 ? -x : x }
            if abs(sum) >= observed - tolerance { atLeast += 1 }
        }
        return Double(atLeast) / Double(sampledPatterns + 1)
    }

    /// The smallest p-value any data can give with `n` pairs (all differences of one sign).
    public static func smallestPossible(pairs n: Int) -> Double { n == 0 ? 1 : 2 / Double(1 << min(n, 62)) }
}
