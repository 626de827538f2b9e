import XCTest
import StatNetCore

/// The Float element-wise kernels (C, vectorised per instruction set) give the same bits as the
/// scalar loops written in each test, and as `Kernels.Reference` (the Swift loops Double runs),
/// at a width of whole vectors and one with a tail.
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

    /// `Kernels.Reference` in Float is the loop each test writes out: the C kernels equal it too.
    func testReferenceLoopsGiveTheCKernelsBits() {
        let (rows, columns) = (7, 37)
        let y = values(rows * columns, seed: 8), bias = values(columns, seed: 9)
        var c = y, reference = y
        c.withUnsafeMutableBufferPointer { c in bias.withUnsafeBufferPointer { Kernels.addBias(c, $0, rows: rows) } }
        reference.withUnsafeMutableBufferPointer { r in bias.withUnsafeBufferPointer { Kernels.Reference.addBias(r.baseAddress!, $0, rows: rows) } }
        XCTAssertEqual(c.map(\.bitPattern), reference.map(\.bitPattern), "addBias")
        var sumC = [Float](repeating: .nan, count: columns), sumReference = sumC
        y.withUnsafeBufferPointer { y in
            sumC.withUnsafeMutableBufferPointer { Kernels.columnSums(y, rows: rows, into: $0) }
            sumReference.withUnsafeMutableBufferPointer { Kernels.Reference.columnSums(y.baseAddress!, rows: rows, into: $0) }
        }
        XCTAssertEqual(sumC.map(\.bitPattern), sumReference.map(\.bitPattern), "columnSums")
        let output = values(rows * columns, seed: 10).map { max($0, 0) }
        var gradientC = y, gradientReference = y
        output.withUnsafeBufferPointer { out in
            gradientC.withUnsafeMutableBufferPointer { Kernels.reluDropoutBackward($0, output: out, p: 0.5) }
            gradientReference.withUnsafeMutableBufferPointer { Kernels.Reference.reluDropoutBackward($0, output: out, scale: 2) }
        }
        XCTAssertEqual(gradientC.map(\.bitPattern), gradientReference.map(\.bitPattern), "reluDropoutBackward")
    }

    /// The sparse first layer's two C kernels against `Kernels.Reference` in Float, bit for bit:
    /// both sum each output element in the same order with one fused multiply-add per term. At
    /// the paper's width (1024 columns: whole vector tiles) and an odd one, empty to dense inputs.
    func testSparseKernelsGiveTheReferenceBits() {
        for (rows, columns) in [(64, 1024), (7, 37)] {
            for density in [0.0, 0.2, 1.0] {
                var rng = SplitMix64(seed: 11)
                let positions = 30
                let x = (0..<rows * positions).map { _ in rng.nextUnitFloat() < Float(density) ? rng.nextUnitFloat() + 0.5 : 0 }
                let w = values(positions * columns, seed: 12), bias = values(columns, seed: 13)
                let dy = values(rows * columns, seed: 14), scale = values(positions, seed: 15)
                let sparse = SparseInput<Float>(capacityRows: rows, columns: positions)
                x.withUnsafeBufferPointer { sparse.build(from: $0, rows: rows, divisor: nil) }
                let (start, index, value) = (sparse.columnStart.baseAddress!, sparse.byColumnIndex.baseAddress!, sparse.byColumnValue.baseAddress!)
                var scatterC = [Float](repeating: .nan, count: rows * columns), scatterReference = scatterC
                var gatherC = [Float](repeating: .nan, count: positions * columns), gatherReference = gatherC
                Kernels.sparseScatter(positions: positions, rows: rows, columns: columns, start: start, index: index, value: value, weight: w,
                                      weightStride: columns, initVector: bias, into: &scatterC, outStride: columns)
                Kernels.Reference.sparseScatter(positions: positions, rows: rows, columns: columns, start: start, index: index, value: value,
                                                weight: w, weightStride: columns, initVector: bias, into: &scatterReference, outStride: columns)
                for initScale in [nil, scale] {
                    Kernels.sparseGather(rows: positions, columns: columns, start: start, index: index, value: value, source: dy,
                                         sourceStride: columns, initScale: initScale, initVector: bias, into: &gatherC, outStride: columns)
                    Kernels.Reference.sparseGather(rows: positions, columns: columns, start: start, index: index, value: value, source: dy,
                                                   sourceStride: columns, initScale: initScale, initVector: bias, into: &gatherReference, outStride: columns)
                    XCTAssertEqual(gatherC.map(\.bitPattern), gatherReference.map(\.bitPattern),
                                   "gather \(rows)x\(columns) density \(density) scaled \(initScale != nil)")
                }
                XCTAssertEqual(scatterC.map(\.bitPattern), scatterReference.map(\.bitPattern), "scatter \(rows)x\(columns) density \(density)")
                if density == 0 {
                    XCTAssertEqual(scatterC, (0..<rows).flatMap { _ in bias }, "no entries: every row is the bias")
                }
            }
        }
    }
}
