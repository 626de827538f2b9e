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
    static func tQuantile975(degreesOfFreedom df: Int) -> Double {
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

extension Statistics {
    /// P(T <= t) for Student's t with `df` (possibly fractional) degrees of freedom, through the
    /// regularised incomplete beta function: `P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2)`.
    static func tCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
        precondition(df > 0)
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let tail = 0.5 * regularisedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The two-sided p-value of a t statistic.
    static func twoSidedP(_ t: Double, degreesOfFreedom df: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? 1 : 0 }
        return regularisedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// The `probability` quantile of Student's t (any df > 0), by bisection on `tCDF` to 1e-10.
    static func tQuantile(_ probability: Double, degreesOfFreedom df: Double) -> Double {
        precondition(probability > 0 && probability < 1)
        var lo = -1e4, hi = 1e4
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if tCDF(mid, degreesOfFreedom: df) < probability { lo = mid } else { hi = mid }
            if hi - lo < 1e-10 { break }
        }
        return 0.5 * (lo + hi)
    }

    /// `I_x(a, b)`, by the continued fraction of Numerical Recipes (section 6.4), using the
    /// symmetry `I_x(a, b) = 1 - I_{1-x}(b, a)` where the fraction converges slowly.
    static func regularisedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logFront + logPowers)
        if x < (a + 1) / (a + b + 2) { return front * betaContinuedFraction(x, a: a, b: b) / a }
        return 1 - front * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var aa = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 3e-16 { break }
        }
        return h
    }
}
