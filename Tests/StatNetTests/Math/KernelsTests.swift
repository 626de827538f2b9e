import XCTest
import StatNet

/// The Float element-wise kernels (C, vectorised per instruction set) give the same bits as the
/// scalar loops they replace, at a width of whole vectors and one with a tail.
final class KernelsTests: XCTestCase {
    func values(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        // A quarter exact zeros (ReLU's outputs), the rest of both signs and many magnitudes.
        return (0..<count).map { _ in rng.nextUnitFloat() < 0.25 ? 0 : (rng.nextUnitFloat() - 0.5) * Float(1 << (rng.next() % 20)) }
    }

    func testAddBiasMatchesScalarLoop() {
        for (rows, columns) in [(64, 1024), (7, 37), (1, 1)] {
            let y = values(rows * columns, seed: 1), bias = values(columns, seed: 2)
            var expected = y
            for r in 0..<rows { for c in 0..<columns { expected[r * columns + c] += bias[c] } }
            var got = y
            got.withUnsafeMutableBufferPointer { g in bias.withUnsafeBufferPointer { Kernels.addBias(g, $0, rows: rows) } }
            XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(rows)x\(columns)")
        }
    }

    func testColumnSumsMatchScalarLoop() {
        for (rows, columns) in [(64, 1024), (7, 37), (1, 1), (0, 5)] {
            let x = values(rows * columns, seed: 3)
            var expected = [Float](repeating: 0, count: columns)
            for r in 0..<rows { for c in 0..<columns { expected[c] += x[r * columns + c] } }
            var got = [Float](repeating: .nan, count: columns)
            x.withUnsafeBufferPointer { x in got.withUnsafeMutableBufferPointer { Kernels.columnSums(x, rows: rows, into: $0) } }
            XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(rows)x\(columns)")
        }
    }

    func testReLUDropoutBackwardMatchesScalarLoop() {
        for count in [64 * 1024, 37, 1] {
            for p in [0.5, 0.2, 0] {
                let output = values(count, seed: 4).map { max($0, 0) }, gradient = values(count, seed: 5)
                let scale = Float(1 / (1 - p))
                let expected = (0..<count).map { output[$0] > 0 ? gradient[$0] * scale : 0 }
                var got = gradient
                got.withUnsafeMutableBufferPointer { g in output.withUnsafeBufferPointer { Kernels.reluDropoutBackward(g, output: $0, p: p) } }
                XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(count) p \(p)")
            }
        }
    }
}
