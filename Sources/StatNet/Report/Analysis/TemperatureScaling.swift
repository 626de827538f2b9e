import Foundation

/// Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): one
/// temperature T per model, fitted on the validation images by minimising their mean
/// cross-entropy of softmax(logits / T), never on the test images; then the test cross-entropy
/// of the scaled logits, and the expected calibration error (15 equal-width confidence bins,
/// the gap between accuracy and mean confidence weighted by the bin's share) before and after.
/// A lower loss that is calibration alone vanishes after scaling.
public enum TemperatureScaling {
    public static let calibrationBins = 15
    /// The temperatures searched: log T in [-4, 4] (T from 0.018 to 55), to 1e-9 in log T.
    static let logTemperatureRange = -4.0...4.0

    /// Mean cross-entropy of `labels` under softmax(`logits` / T), logits `[n][classes]`.
    public static func crossEntropy(logits: [Float], labels: [UInt8], classes: Int, temperature: Double = 1) -> Double {
        var total = 0.0
        for i in labels.indices {
            let row = logits[i * classes..<(i + 1) * classes].map { Double($0) / temperature }
            let top = row.max()!
            let logZ = log(row.reduce(0) { $0 + exp($1 - top) }) + top
            total += logZ - row[Int(labels[i])]
        }
        return labels.isEmpty ? 0 : total / Double(labels.count)
    }

    /// The temperature that minimises the mean cross-entropy of `labels` (golden-section search
    /// on log T: the loss is convex in 1 / T).
    public static func fit(logits: [Float], labels: [UInt8], classes: Int) -> Double {
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (logTemperatureRange.lowerBound, logTemperatureRange.upperBound)
        func loss(_ logT: Double) -> Double { crossEntropy(logits: logits, labels: labels, classes: classes, temperature: exp(logT)) }
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = loss(c), fd = loss(d)
        while b - a > 1e-9 {
            if fc < fd { (b, d, fd) = (d, c, fc); c = b - ratio * (b - a); fc = loss(c) }
            else { (a, c, fc) = (c, d, fd); d = a + ratio * (b - a); fd = loss(d) }
        }
        return exp((a + b) / 2)
    }

    /// One reliability bin: its confidence range, images, accuracy and mean confidence.
    public struct Bin: Codable, Equatable, Sendable {
        public let low: Double
        public let high: Double
        public let count: Int
        public let accuracy: Double
        public let confidence: Double
    }

    /// The reliability bins of softmax(`logits` / T) and the expected calibration error.
    public static func reliability(logits: [Float], labels: [UInt8], classes: Int, temperature: Double = 1) -> (bins: [Bin], ece: Double) {
        var count = [Int](repeating: 0, count: calibrationBins), correct = count
        var confidence = [Double](repeating: 0, count: calibrationBins)
        for i in labels.indices {
            let row = logits[i * classes..<(i + 1) * classes].map { Double($0) / temperature }
            let top = row.max()!
            let z = row.reduce(0) { $0 + exp($1 - top) }
            let predicted = row.firstIndex(of: top)!
            let p = 1 / z   // softmax of the largest logit
            let bin = min(calibrationBins - 1, Int(p * Double(calibrationBins)))
            count[bin] += 1
            confidence[bin] += p
            if predicted == Int(labels[i]) { correct[bin] += 1 }
        }
        let n = Double(max(labels.count, 1))
        var ece = 0.0, bins: [Bin] = []
        for k in 0..<calibrationBins {
            let lo = Double(k) / Double(calibrationBins), hi = Double(k + 1) / Double(calibrationBins)
            guard count[k] > 0 else { bins.append(Bin(low: lo, high: hi, count: 0, accuracy: 0, confidence: 0)); continue }
            let accuracy = Double(correct[k]) / Double(count[k]), meanConfidence = confidence[k] / Double(count[k])
            ece += Double(count[k]) / n * abs(accuracy - meanConfidence)
            bins.append(Bin(low: lo, high: hi, count: count[k], accuracy: accuracy, confidence: meanConfidence))
        }
        return (bins, ece)
    }
}
