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

    /// The folded bias's `offset Wt`: the scalar loop with one fused multiply-add per row, bit
    /// for bit, whether the rows come in one call or in blocks (as the optimiser's do).
    func testRowCombinationMatchesScalarLoopInOneCallOrBlocks() {
        for (rows, columns, block) in [(300, 1024, 32), (7, 37, 3), (1, 1, 1)] {
            let m = values(rows * columns, seed: 5), coefficients = values(rows, seed: 6), start = values(columns, seed: 7)
            var expected = start
            for r in 0..<rows { for c in 0..<columns { expected[c] = expected[c].addingProduct(coefficients[r], m[r * columns + c]) } }
            var once = start, blocks = start
            coefficients.withUnsafeBufferPointer { k in m.withUnsafeBufferPointer { m in
                once.withUnsafeMutableBufferPointer { Kernels.accumulateRowCombination(k, of: m.baseAddress!, into: $0) }
                blocks.withUnsafeMutableBufferPointer { sum in
                    for first in stride(from: 0, to: rows, by: block) {
                        let rowsOfBlock = first..<min(first + block, rows)
                        Kernels.accumulateRowCombination(UnsafeBufferPointer(rebasing: k[rowsOfBlock]), of: m.baseAddress! + first * columns, into: sum)
                    }
                }
            } }
            XCTAssertEqual(once.map(\.bitPattern), expected.map(\.bitPattern), "\(rows)x\(columns)")
            XCTAssertEqual(blocks.map(\.bitPattern), expected.map(\.bitPattern), "\(rows)x\(columns) in blocks of \(block)")
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
