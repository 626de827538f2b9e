import XCTest
import StatNetCore

/// The Float Adam step (a C kernel compiled per instruction set) against the portable Swift
/// path that the Double parity test checks against PyTorch.
final class AdamKernelTests: XCTestCase {
    func testFloatKernelMatchesPortablePath() {
        var rng = SplitMix64(seed: 8)
        let n = 1000 + 7   // a tail that is not a whole vector
        func random(_ scale: Float) -> [Float] { (0..<n).map { _ in (rng.nextUnitFloat() * 2 - 1) * scale } }
        let g = random(0.1)
        var (p1, m1, v1) = (random(1), random(0.01), random(0.001).map(abs))
        var (p2, m2, v2) = (p1, m1, v1)
        let initial = p1
        var adam = Adam<Float>(parameterCount: 0, learningRate: 1e-3)
        for _ in 0..<3 {
            adam.step += 1
            let k = adam.constants
            g.withUnsafeBufferPointer { g in
                Adam.update(0..<n, constants: k, parameters: &p1, gradients: g.baseAddress!, m: &m1, v: &v1)
                Adam.updatePortable(0..<n, constants: k, parameters: &p2, gradients: g.baseAddress!, m: &m2, v: &v2)
            }
        }
        for i in 0..<n {
            XCTAssertEqual(p1[i], p2[i], accuracy: 1e-6 * max(1, abs(p2[i])), "p[\(i)]")
            XCTAssertEqual(m1[i], m2[i], accuracy: 1e-6 * max(1e-3, abs(m2[i])), "m[\(i)]")
            XCTAssertEqual(v1[i], v2[i], accuracy: 1e-6 * max(1e-6, abs(v2[i])), "v[\(i)]")
        }
        XCTAssertTrue(zip(p1, initial).allSatisfy { $0 != $1 }, "every parameter moved")
    }

    /// Adam is element-wise: a step over the whole buffer equals steps over blocks of it in any
    /// order, bit for bit (what lets the fused step update each block as it completes).
    func testBlocksInAnyOrderGiveTheBitsOfOnePass() {
        var rng = SplitMix64(seed: 9)
        let n = 1000 + 7
        let g: [Float] = randomValues(n, &rng), p0: [Float] = randomValues(n, &rng)
        var whole = (p: p0, m: [Float](repeating: 0, count: n), v: [Float](repeating: 0, count: n))
        var blocks = whole
        var adam = Adam<Float>(parameterCount: 0)
        for _ in 0..<3 {
            adam.step += 1
            let k = adam.constants
            g.withUnsafeBufferPointer { g in
                Adam.update(0..<n, constants: k, parameters: &whole.p, gradients: g.baseAddress!, m: &whole.m, v: &whole.v)
                for first in stride(from: 0, to: n, by: 37).reversed() {
                    Adam.update(first..<min(first + 37, n), constants: k, parameters: &blocks.p, gradients: g.baseAddress!, m: &blocks.m, v: &blocks.v)
                }
            }
        }
        XCTAssertEqual(whole.p.map(\.bitPattern), blocks.p.map(\.bitPattern))
        XCTAssertEqual(whole.m.map(\.bitPattern), blocks.m.map(\.bitPattern))
        XCTAssertEqual(whole.v.map(\.bitPattern), blocks.v.map(\.bitPattern))
    }
}
