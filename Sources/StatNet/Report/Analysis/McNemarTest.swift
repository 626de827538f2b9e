import Foundation

/// McNemar's exact test on the test images of one seed's StatNet and MLPNet: of the images the
/// two models classify differently, `statnetOnly` only StatNet gets right and `mlpnetOnly` only
/// MLPNet; under "equally accurate" each such image is a fair coin, so the two-sided p-value is
/// the binomial tail of the smaller count, doubled (at most 1).
public struct McNemarTest: Codable, Equatable, Sendable {
    public let statnetOnly: Int
    public let mlpnetOnly: Int
    public let pValue: Double

    public init(statnetOnly: Int, mlpnetOnly: Int) {
        self.statnetOnly = statnetOnly
        self.mlpnetOnly = mlpnetOnly
        let n = statnetOnly + mlpnetOnly, k = min(statnetOnly, mlpnetOnly)
        guard n > 0 else { pValue = 1; return }
        // P(X <= k) for X ~ Binomial(n, 1/2), summed in logs.
        var tail = 0.0
        for i in 0...k {
            tail += exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) - Double(n) * log(2.0))
        }
        pValue = min(1, 2 * tail)
    }

    /// From each model's predictions and the labels, image by image.
    public init(statnet: [Int], mlpnet: [Int], labels: [UInt8]) {
        precondition(statnet.count == labels.count && mlpnet.count == labels.count, "one prediction per image")
        var s = 0, m = 0
        for i in labels.indices {
            let a = statnet[i] == Int(labels[i]), b = mlpnet[i] == Int(labels[i])
            if a && !b { s += 1 } else if b && !a { m += 1 }
        }
        self.init(statnetOnly: s, mlpnetOnly: m)
    }
}
