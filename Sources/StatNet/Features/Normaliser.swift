import Foundation

/// How the feature channels are scaled before the network (FEATURES.md, "Normalisation").
public enum NormalisationMode: String, CaseIterable, Codable, Sendable {
    case none, channel, position

    /// "no normalisation", "channel normalisation", ...
    public var words: String { (self == .none ? "no" : rawValue) + " normalisation" }
}

/// Standardises feature channels with statistics fitted on the training split only.
///
/// The statistics are kept per channel and position (`mean[c * D + p]`, `std[c * D + p]`) for
/// every mode, so a checkpoint stores one shape: `channel` repeats one value along the
/// positions, `none` is mean 0 and std 1.
public struct Normaliser: Sendable, Equatable {
    public let mode: NormalisationMode
    public let length: Int
    public let mean: [Float]
    public let std: [Float]

    /// `position` mode raises each std to at least this fraction of its channel's std.
    public static let positionFloor = 0.1

    public init(mode: NormalisationMode, length: Int, mean: [Float], std: [Float]) {
        precondition(mean.count == FeatureChannel.count * length && std.count == FeatureChannel.count * length)
        self.mode = mode
        self.length = length
        self.mean = mean
        self.std = std
    }

    /// The identity (mode `none`).
    public static func identity(length: Int) -> Normaliser {
        Normaliser(mode: .none, length: length, mean: .init(repeating: 0, count: FeatureChannel.count * length),
                   std: .init(repeating: 1, count: FeatureChannel.count * length))
    }

    /// Fits `mode` on the images `indices` of `pixels` (population statistics, in Double).
    public static func fit(mode: NormalisationMode, extractor: FeatureExtractor,
                           pixels: [UInt8], indices: [Int]) -> Normaliser {
        let d = extractor.length
        if mode == .none || indices.isEmpty { return identity(length: d) }
        var sum = [Double](repeating: 0, count: FeatureChannel.count * d), squares = sum
        let batch = 256   // images per block: the feature buffer stays at 3 MB
        var buffer = [Float](repeating: 0, count: FeatureChannel.count * batch * d)
        pixels.withUnsafeBufferPointer { px in
            for start in stride(from: 0, to: indices.count, by: batch) {
                let rows = Array(indices[start..<min(start + batch, indices.count)])
                rows.withUnsafeBufferPointer { idx in
                    buffer.withUnsafeMutableBufferPointer { extractor.compute(pixels: px, indices: idx, into: $0) }
                }
                for c in 0..<FeatureChannel.count {
                    for r in 0..<rows.count {
                        let row = (c * rows.count + r) * d
                        for p in 0..<d {
                            let v = Double(buffer[row + p])
                            sum[c * d + p] += v
                            squares[c * d + p] += v * v
                        }
                    }
                }
            }
        }
        let n = Double(indices.count)
        var mean = [Float](repeating: 0, count: FeatureChannel.count * d), std = [Float](repeating: 1, count: FeatureChannel.count * d)
        for c in 0..<FeatureChannel.count {
            let range = c * d..<(c + 1) * d
            let channelMean = range.reduce(0.0) { $0 + sum[$1] } / (n * Double(d))
            let channelSquares = range.reduce(0.0) { $0 + squares[$1] } / (n * Double(d))
            let channelStd = usableStd((channelSquares - channelMean * channelMean).squareRoot())
            for i in range {
                switch mode {
                case .channel:
                    mean[i] = Float(channelMean)
                    std[i] = Float(channelStd)
                case .position:
                    let m = sum[i] / n
                    let s = max(0, squares[i] / n - m * m).squareRoot()
                    mean[i] = Float(m)
                    std[i] = Float(max(s, positionFloor * channelStd))
                case .none:
                    break
                }
            }
        }
        return Normaliser(mode: mode, length: d, mean: mean, std: std)
    }

    /// A constant channel has std 0: leave it unscaled rather than divide by zero.
    private static func usableStd(_ s: Double) -> Double { s.isFinite && s > 1e-12 ? s : 1 }

    /// Standardises, in place, features laid out as `FeatureExtractor` writes them
    /// (`channels` limits the work to some of the four, so cores can share it).
    public func apply(to features: UnsafeMutableBufferPointer<Float>, count: Int, channels: Range<Int> = 0..<FeatureChannel.count) {
        if mode == .none { return }
        let d = length
        precondition(features.count >= FeatureChannel.count * count * d)
        mean.withUnsafeBufferPointer { m in
            std.withUnsafeBufferPointer { s in
                for c in channels {
                    for r in 0..<count {
                        let row = (c * count + r) * d
                        for p in 0..<d {
                            features[row + p] = (features[row + p] - m[c * d + p]) / s[c * d + p]
                        }
                    }
                }
            }
        }
    }
}

extension InputNormalisation {
    /// The normaliser's statistics as the network applies them, or nil when it changes nothing
    /// (mode `none`).
    public init?(_ normaliser: Normaliser) {
        guard normaliser.mode != .none else { return nil }
        self.init(mean: normaliser.mean.map { S($0) }, std: normaliser.std.map { S($0) }, length: normaliser.length)
    }
}
