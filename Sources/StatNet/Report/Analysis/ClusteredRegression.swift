import Foundation

/// Ordinary least squares of y on (1, x) with standard errors clustered by a group (CR1, the
/// Stata-style small-sample factor), for the little-data trend: the StatNet − MLPNet gap of each
/// seed at each size against log10(size), seeds as clusters, since a seed's runs at several
/// sizes share its split and initialisation. The slope's interval uses t with (clusters − 1)
/// degrees of freedom.
public struct ClusteredRegression: Codable, Equatable, Sendable {
    public let intercept: Double
    public let slope: Double
    public let slopeStandardError: Double
    public let observations: Int
    public let clusters: Int
    public let low: Double
    public let high: Double
    public let pValue: Double

    /// nil with fewer than two clusters, or x without spread.
    public init?(x: [Double], y: [Double], cluster: [UInt64]) {
        precondition(x.count == y.count && y.count == cluster.count, "one x, y and cluster per observation")
        let n = Double(x.count)
        let groups = Dictionary(grouping: x.indices, by: { cluster[$0] })
        guard groups.count >= 2, x.count >= 3 else { return nil }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 0 else { return nil }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        slope = sxy / sxx
        intercept = my - slope * mx
        // Sandwich: (X'X)^-1 (sum_g X_g' e_g e_g' X_g) (X'X)^-1, the slope's entry.
        let sx = x.reduce(0, +), sxxRaw = x.reduce(0) { $0 + $1 * $1 }
        let determinant = n * sxxRaw - sx * sx
        // (X'X)^-1 = [[sxxRaw, -sx], [-sx, n]] / determinant
        var meat = (a: 0.0, b: 0.0, d: 0.0)   // symmetric 2x2: [[a, b], [b, d]]
        for (_, members) in groups {
            var u0 = 0.0, u1 = 0.0
            for i in members {
                let e = y[i] - intercept - slope * x[i]
                u0 += e
                u1 += e * x[i]
            }
            meat.a += u0 * u0
            meat.b += u0 * u1
            meat.d += u1 * u1
        }
        let g = Double(groups.count), k = 2.0
        let correction = g / (g - 1) * (n - 1) / (n - k)
        // Row 2 of the bread: (-sx, n) / determinant.
        let r0 = -sx / determinant, r1 = n / determinant
        let variance = correction * (r0 * r0 * meat.a + 2 * r0 * r1 * meat.b + r1 * r1 * meat.d)
        slopeStandardError = variance.squareRoot()
        observations = x.count
        clusters = groups.count
        let df = g - 1
        let half = Statistics.tQuantile(0.975, degreesOfFreedom: df) * slopeStandardError
        low = slope - half
        high = slope + half
        pValue = slopeStandardError > 0 ? Statistics.twoSidedP(slope / slopeStandardError, degreesOfFreedom: df) : (slope == 0 ? 1 : 0)
    }
}
