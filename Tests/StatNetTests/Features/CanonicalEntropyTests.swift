import Foundation
import XCTest
@testable import StatNet

/// The table of s(u) against a direct root solve, for the mean energies 784-pixel images reach.
final class CanonicalEntropyTests: XCTestCase {
    func testTableMatchesDirectSolve() {
        let table = CanonicalEntropy.shared
        var rng = SplitMix64(seed: 7)
        var worst = 0.0, worstU = 0.0, checked = 0
        func check(_ e: Int, _ n: Int) {
            let u = Double(e) / Double(n)
            let direct = CanonicalEntropy.solve(u: u).s
            let relative = abs(table.s(u) - direct) / abs(direct)
            checked += 1
            if relative > worst { worst = relative; worstU = u }
        }
        for n in 1...784 {
            // The ends are where s(u) bends hardest: every E within 40 of 0 and of 256 n
            // (E = 256 n - k with 0 < k < 31 needs a level above 16 and cannot occur).
            for e in 1...min(40, 256 * n - 31) { check(e, n) }
            for e in max(1, 256 * n - 71)...(256 * n - 31) { check(e, n) }
            for _ in 0..<40 { check(1 + Int(rng.next() % UInt64(256 * n - 31)), n) }
        }
        XCTAssertLessThan(worst, 1e-6, "worst relative error \(worst) at u = \(worstU) over \(checked) mean energies")
        XCTAssertEqual(table.s(0), 0)
        XCTAssertEqual(table.s(256), 0)
    }

    /// The solve itself: the mean energy at the beta it finds is u, and s(u) -> ln 17 at beta = 0 (u = 88).
    func testDirectSolveIsConsistent() {
        for u in [0.01, 1.0, 50.0, 88.0, 200.0, 255.99] {
            let beta = CanonicalEntropy.solve(u: u).beta
            var z = 0.0, first = 0.0
            for l in 0...16 { let w = exp(-beta * Double(l * l)); z += w; first += Double(l * l) * w }
            XCTAssertEqual(first / z, u, accuracy: 1e-9 * max(1, u))
        }
        XCTAssertEqual(CanonicalEntropy.solve(u: 88).s, log(17.0), accuracy: 1e-12)
    }
}
