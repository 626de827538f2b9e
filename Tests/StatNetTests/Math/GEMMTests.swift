import XCTest
import StatNet

/// The BLAS seam against a naive triple loop, with every combination of transposes.
final class GEMMTests: XCTestCase {
    func naive(_ a: [Float], _ ta: Bool, _ b: [Float], _ tb: Bool, m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = 0
                for p in 0..<k {
                    let x = ta ? a[p * m + i] : a[i * k + p]
                    let y = tb ? b[j * k + p] : b[p * n + j]
                    s += Double(x) * Double(y)
                }
                c[i * n + j] = Float(s)
            }
        }
        return c
    }

    func testAgainstNaiveOracleAllTransposes() {
        var rng = SplitMix64(seed: 1)
        let (m, n, k) = (7, 5, 11)
        let a = (0..<m * k).map { _ in rng.nextUnitFloat() - 0.5 }
        let b = (0..<k * n).map { _ in rng.nextUnitFloat() - 0.5 }
        let c0 = (0..<m * n).map { _ in rng.nextUnitFloat() - 0.5 }
        for ta in [false, true] {
            for tb in [false, true] {
                var c = c0
                c.withUnsafeMutableBufferPointer { gemm(a, transposeA: ta, b, transposeB: tb, into: $0.baseAddress!, m: m, n: n, k: k, alpha: 2, beta: 0.5) }
                let expected = zip(naive(a, ta, b, tb, m: m, n: n, k: k), c0).map { 2 * $0 + 0.5 * $1 }
                for i in 0..<c.count { XCTAssertEqual(c[i], expected[i], accuracy: 1e-5, "ta \(ta) tb \(tb) at \(i)") }
            }
        }
    }

    func testBLASReportsItsCoreAndThreads() {
        BLAS.setThreads(1)
        XCTAssertEqual(BLAS.threads, 1)
        XCTAssertFalse(BLAS.coreName.isEmpty)
    }
}

final class FloatEnvironmentTests: XCTestCase {
    /// Every worker of a parallel loop flushes denormals, so a denormal product is 0 there.
    func testParallelWorkersFlushDenormals() {
        let tiny = Float.leastNormalMagnitude
        let results = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        defer { results.deallocate() }
        var flags = [Bool](repeating: false, count: 4)
        flags.withUnsafeMutableBufferPointer { f in
            parallelFor(4, threads: 2) { i in
                results[i] = tiny * Float(0.5 + Double(i) * 1e-9)   // a denormal without flushing
                f[i] = FloatEnvironment.flushesDenormals
            }
        }
        XCTAssertEqual(flags, [true, true, true, true])
        for i in 0..<4 { XCTAssertEqual(results[i], 0, "denormal result flushed to zero") }
    }
}
