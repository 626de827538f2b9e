import Foundation

/// The per-particle canonical entropy `s(u) = ln(sum_l e^(-beta l^2)) + beta u` for the 17
/// levels `eps_l = l^2`, where `beta` solves `<eps>_beta = u` (FEATURES.md, variant `canonical`).
///
/// `s` is smooth on (0, 256) with `ds/du = beta`, so a cubic Hermite table with exact slopes
/// gives it to about 1e-12 relative. Near the ends `beta` grows like `-ln u` (and like
/// `ln(256 - u)`), so those two regions are tabulated in `ln u` and `ln(256 - u)`, where `s` is
/// smooth again. Outside the table (u below 1e-4 or within 1e-3 of 256, which 784-pixel
/// images never reach: their u is 0, 256, or in [1/784, 256 - 31/784]) it solves directly.
struct CanonicalEntropy: Sendable {
    static let levelCount = 17
    static let maximumEnergy = 256.0

    /// Tabulated once per process, on first use (about 73,000 root solves).
    static let shared = CanonicalEntropy()

    private struct Region {
        let lo: Double, step: Double
        var values: [Double] = [], slopes: [Double] = []
        var count: Int { values.count }
    }
    private enum Axis { case logU, u, logTop }

    private static let lowEnd = 1e-4, lowSplit = 1.0, highSplit = 255.0, highEnd = 256.0 - 1e-3
    private var low: Region, middle: Region, high: Region

    private init() {
        func build(_ axis: Axis, from a: Double, to b: Double, step: Double) -> Region {
            var region = Region(lo: a, step: step)
            let n = Int(((b - a) / step).rounded(.up)) + 1
            for k in 0..<n {
                let x = a + Double(k) * step
                let u: Double
                switch axis {
                case .logU: u = exp(x)
                case .u: u = x
                case .logTop: u = Self.maximumEnergy - exp(x)
                }
                let (s, beta) = Self.solve(u: u)
                region.values.append(s)
                switch axis {
                case .logU: region.slopes.append(beta * u)              // ds/d(ln u)
                case .u: region.slopes.append(beta)                     // ds/du
                case .logTop: region.slopes.append(-beta * (Self.maximumEnergy - u)) // ds/d ln(256-u)
                }
            }
            return region
        }
        low = build(.logU, from: log(Self.lowEnd), to: log(Self.lowSplit), step: 1.0 / 512)
        middle = build(.u, from: Self.lowSplit, to: Self.highSplit, step: 1.0 / 256)
        high = build(.logTop, from: log(Self.maximumEnergy - Self.highEnd), to: log(Self.maximumEnergy - Self.highSplit), step: 1.0 / 512)
    }

    /// s(u) from the table; exact 0 at the ends u = 0 and u = 256.
    @inline(__always)
    func s(_ u: Double) -> Double {
        if u <= 0 || u >= Self.maximumEnergy { return 0 }
        if u >= Self.lowSplit && u <= Self.highSplit { return Self.hermite(middle, u) }
        if u < Self.lowSplit && u >= Self.lowEnd { return Self.hermite(low, log(u)) }
        if u > Self.highSplit && u <= Self.highEnd { return Self.hermite(high, log(Self.maximumEnergy - u)) }
        return Self.solve(u: u).s
    }

    @inline(__always)
    private static func hermite(_ r: Region, _ x: Double) -> Double {
        let position = (x - r.lo) / r.step
        let k = min(max(Int(position), 0), r.count - 2)
        let t = position - Double(k)
        let t2 = t * t, t3 = t2 * t
        let h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t
        let h01 = -2 * t3 + 3 * t2, h11 = t3 - t2
        return h00 * r.values[k] + h10 * r.step * r.slopes[k] + h01 * r.values[k + 1] + h11 * r.step * r.slopes[k + 1]
    }

    /// Mean, variance and `ln sum exp` of the level energies at inverse temperature `beta`,
    /// with the largest exponent subtracted so nothing overflows.
    static func moments(beta: Double) -> (mean: Double, variance: Double, logSum: Double) {
        let top = beta >= 0 ? 0.0 : -beta * maximumEnergy
        var z = 0.0, first = 0.0
        var w = [Double](repeating: 0, count: levelCount)
        for l in 0..<levelCount {
            let e = Double(l * l)
            w[l] = exp(-beta * e - top)
            z += w[l]
            first += e * w[l]
        }
        let mean = first / z
        var variance = 0.0
        for l in 0..<levelCount {
            let d = Double(l * l) - mean
            variance += d * d * w[l]
        }
        return (mean, variance / z, top + log(z))
    }

    /// The direct solution: Newton on `beta` inside a shrinking bisection bracket, to full
    /// double precision. For 0 < u < 256; the test oracle and the table's source.
    static func solve(u: Double) -> (s: Double, beta: Double) {
        precondition(u > 0 && u < maximumEnergy, "s(u) is solved for 0 < u < 256")
        var lo = -60.0, hi = 60.0   // mean(lo) ~ 256, mean(hi) ~ 0
        var beta = 0.0
        for _ in 0..<200 {
            let (mean, variance, _) = moments(beta: beta)
            if mean > u { lo = beta } else { hi = beta }
            var next = beta + (mean - u) / variance   // d(mean)/d(beta) = -variance
            if !(next > lo && next < hi) || variance == 0 { next = 0.5 * (lo + hi) }
            if abs(next - beta) <= 1e-15 * max(1, abs(beta)) { beta = next; break }
            beta = next
        }
        let logSum = moments(beta: beta).logSum
        return (logSum + beta * u, beta)
    }
}
