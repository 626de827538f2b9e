import XCTest
import StatNetCore

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

    /// The thread count set is the one reported (and the test leaves the process's as it was);
    /// the core name is OpenBLAS's own, a word such as "SkylakeX" or "Haswell".
    func testBLASReportsItsCoreAndThreads() {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        for threads in [1, 2] {
            BLAS.setThreads(threads)
            XCTAssertEqual(BLAS.threads, threads)
        }
        BLAS.setThreads(saved)
        XCTAssertEqual(BLAS.threads, saved, "restored")
        let name = BLAS.coreName
        XCTAssertNotEqual(name, "unknown")
        XCTAssertTrue(!name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber }, name)
    }
}
