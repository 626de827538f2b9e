import Foundation

/// Summary statistics over seeds: mean, sample standard deviation, and the paired difference
/// with a t-distribution confidence interval (the paper reports single runs; these say how
/// much a difference of a few tenths of a percent means).
public struct Summary: Codable, Equatable, Sendable {
    public let n: Int
    public let mean: Double
    /// Sample standard deviation (n - 1); nil for one value.
    public let std: Double?

    public init(_ values: [Double]) {
        n = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        if values.count > 1 {
            let m = mean
            std = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        } else {
            std = nil
        }
    }
}

/// The mean of paired differences `a_i - b_i` with a two-sided 95% t interval.
public struct PairedDifference: Codable, Equatable, Sendable {
    public let n: Int
    public let mean: Double
    /// nil with fewer than two pairs.
    public let low: Double?
    public let high: Double?

    public init(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count, "paired samples")
        let d = zip(a, b).map { $0 - $1 }
        let s = Summary(d)
        n = s.n
        mean = s.mean
        if let std = s.std {
            let half = Statistics.tQuantile975(degreesOfFreedom: n - 1) * std / Double(n).squareRoot()
            low = mean - half
            high = mean + half
        } else {
            low = nil
            high = nil
        }
    }

    /// Whether the interval excludes zero.
    public var excludesZero: Bool { guard let low, let high else { return false }; return low > 0 || high < 0 }
}

public enum Statistics {
    /// The 97.5% quantile of Student's t with `df` degrees of freedom (two-sided 95% intervals):
    /// exact to 3 decimals from the standard table up to 30, then the Cornish-Fisher expansion.
    public static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1)
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                     2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                     2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df <= table.count { return table[df - 1] }
        let z = 1.959964, v = Double(df)
        let g1 = (pow(z, 3) + z) / 4, g2 = (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / 96
        return z + g1 / v + g2 / (v * v)
    }
}
