import XCTest
import StatNet

final class NormaliserTests: XCTestCase {
    /// Channel statistics on MNIST pixels are the usual (x - 33.3) / 78.6.
    func testChannelModeOnMNISTPixels() throws {
        let mnist = try SharedMNIST.get()
        let extractor = FeatureExtractor(variant: .reference)
        let n = Normaliser.fit(mode: .channel, extractor: extractor, pixels: mnist.train.pixels, indices: Array(0..<60000))
        XCTAssertEqual(n.mean[0], 33.32, accuracy: 0.05)
        XCTAssertEqual(n.std[0], 78.57, accuracy: 0.05)
        XCTAssertEqual(n.mean[783], n.mean[0], "channel mode repeats one value along the positions")
    }

    /// Applying the fitted normaliser gives mean 0 and std 1 on the data it was fitted on,
    /// and `position` mode floors each std at 10% of its channel's.
    func testFittedStatisticsStandardise() {
        var rng = SplitMix64(seed: 3)
        let count = 40
        var pixels = [UInt8](repeating: 0, count: count * 784)
        for i in 0..<pixels.count where i % 784 >= 200 && rng.next() % 3 == 0 { pixels[i] = UInt8(rng.next() % 256) }
        let extractor = FeatureExtractor(variant: .boltzmann)
        for mode in [NormalisationMode.channel, .position] {
            let n = Normaliser.fit(mode: mode, extractor: extractor, pixels: pixels, indices: Array(0..<count))
            var features = [Float](repeating: 0, count: 4 * count * 784)
            pixels.withUnsafeBufferPointer { px in
                features.withUnsafeMutableBufferPointer { extractor.compute(pixels: px, first: 0, count: count, into: $0) }
            }
            features.withUnsafeMutableBufferPointer { n.apply(to: $0, count: count) }
            for c in 0..<4 {
                let values = features[c * count * 784..<(c + 1) * count * 784].map(Double.init)
                let mean = values.reduce(0, +) / Double(values.count)
                XCTAssertEqual(mean, 0, accuracy: 1e-3, "\(mode) channel \(c)")
                if mode == .channel {
                    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
                    XCTAssertEqual(variance.squareRoot(), 1, accuracy: 1e-3, "\(mode) channel \(c)")
                }
            }
            if mode == .position {
                // Positions 0..<200 are always 0 here: their std is the floor, not 0.
                let channelStd = Normaliser.fit(mode: .channel, extractor: extractor, pixels: pixels, indices: Array(0..<count)).std[0]
                XCTAssertEqual(n.std[0], 0.1 * channelStd, accuracy: 1e-4 * channelStd)
            }
        }
        let identity = Normaliser.fit(mode: .none, extractor: extractor, pixels: pixels, indices: Array(0..<count))
        XCTAssertEqual(identity, .identity(length: 784))
    }
}
