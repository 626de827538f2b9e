import Foundation
import XCTest
import StatNet

/// Every case of ../shared/testdata/features/*.json, at the tolerances FEATURES.md states.
final class FeatureVectorTests: XCTestCase {
    struct Vectors: Decodable {
        struct Case: Decodable {
            let `case`: String
            let input: [Int]
            let energy, level, entropy, meanEnergy: [Double]
        }
        let variant: String
        let width: Int
        let cases: [Case]
    }

    func vectors(_ variant: FeatureVariant) throws -> Vectors {
        let url = TestPaths.shared.appendingPathComponent("testdata/features/\(variant.rawValue).json")
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    func check(_ variant: FeatureVariant, exact: Bool) throws {
        let v = try vectors(variant)
        XCTAssertEqual(v.variant, variant.rawValue)
        XCTAssertEqual(v.cases.count, 17)
        let extractor = FeatureExtractor(variant: variant, width: v.width)
        for c in v.cases {
            let got = extractor.channels(of: c.input.map { UInt8($0) })
            for (channel, expected) in zip(FeatureChannel.allCases, [c.energy, c.level, c.entropy, c.meanEnergy]) {
                var worst = 0.0, worstAt = -1
                for p in 0..<expected.count {
                    let g = Double(got[channel.rawValue][p]), e = expected[p]
                    // Expected values are rounded to 6 decimals: compare with 1e-5 relative, 1e-4 absolute.
                    let excess = exact ? abs(g - e) : abs(g - e) - max(1e-5 * abs(e), 1e-4)
                    if excess > worst { worst = excess; worstAt = p }
                }
                XCTAssertTrue(worstAt < 0, "\(variant) \(c.case) \(channel.name)[\(worstAt)]: got \(worstAt < 0 ? 0 : got[channel.rawValue][worstAt]), expected \(worstAt < 0 ? 0 : expected[worstAt])")
            }
        }
    }

    func testBoltzmann() throws { try check(.boltzmann, exact: false) }
    func testCanonical() throws { try check(.canonical, exact: false) }
    func testReferenceExactly() throws { try check(.reference, exact: true) }

    /// The batch API lays channels out channel-major and matches the one-image path.
    func testBatchLayoutMatchesSingleImages() throws {
        let v = try vectors(.boltzmann)
        let images = v.cases.prefix(5).map { $0.input.map { UInt8($0) } }
        let pixels = images.flatMap { $0 }
        let extractor = FeatureExtractor(variant: .boltzmann)
        var out = [Float](repeating: .nan, count: 4 * 3 * 784)
        let indices = [4, 0, 2]
        pixels.withUnsafeBufferPointer { px in
            indices.withUnsafeBufferPointer { idx in
                out.withUnsafeMutableBufferPointer { extractor.compute(pixels: px, indices: idx, into: $0) }
            }
        }
        for (row, image) in indices.enumerated() {
            let single = extractor.channels(of: images[image])
            for c in 0..<4 {
                XCTAssertEqual(Array(out[(c * 3 + row) * 784..<(c * 3 + row + 1) * 784]), single[c])
            }
        }
    }

    /// Without the running channels (a model that reads only energy and level): energy and
    /// level are the same bits as the full computation in every variant, and entropy and mean
    /// energy are left as they were.
    func testWithoutRunningChannelsEnergyAndLevelUnchanged() throws {
        for variant in FeatureVariant.allCases {
            let v = try vectors(variant)
            let pixels = v.cases.flatMap { $0.input.map { UInt8($0) } }
            let extractor = FeatureExtractor(variant: variant, width: v.width)
            let d = v.width * v.width, count = v.cases.count
            let indices = Array(0..<count)
            var full = [Float](repeating: .nan, count: 4 * count * d), partial = full
            pixels.withUnsafeBufferPointer { px in
                indices.withUnsafeBufferPointer { idx in
                    full.withUnsafeMutableBufferPointer { extractor.compute(pixels: px, indices: idx, into: $0) }
                    partial.withUnsafeMutableBufferPointer { extractor.compute(pixels: px, indices: idx, into: $0, runningChannels: false) }
                }
            }
            let pixelChannels = 0..<(FeatureChannel.entropy.rawValue * count * d)
            XCTAssertEqual(Array(partial[pixelChannels]), Array(full[pixelChannels]), "\(variant): energy and level")
            XCTAssertTrue(partial[pixelChannels.upperBound...].allSatisfy(\.isNaN), "\(variant): entropy and mean energy were written")
            XCTAssertFalse(full[pixelChannels.upperBound...].contains(where: \.isNaN), "\(variant): the full computation left a channel out")
        }
    }
}
