import XCTest
import StatNetCore

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
