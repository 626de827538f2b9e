import Foundation
import XCTest
import StatNetCore

/// Where the shared specification data lives: `$STATNET_SHARED`, else `../shared` beside the package.
enum CoreTestPaths {
    static var shared: URL {
        if let env = ProcessInfo.processInfo.environment["STATNET_SHARED"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }
}

/// Uniform values in [-1, 1) from a seeded generator.
func randomValues<S: NetworkScalar>(_ count: Int, _ rng: inout SplitMix64) -> [S] {
    (0..<count).map { _ in S(rng.nextUnitFloat()) * 2 - 1 }
}

/// Features `[4][batch][inputCount]` whose channel c has the given density of non-zeros, in (0.1, 3.1).
func sparseFeatures<S: NetworkScalar>(densities: [Double], batch: Int, inputCount: Int, seed: UInt64) -> [S] {
    var rng = SplitMix64(seed: seed)
    var f = [S](repeating: 0, count: 4 * batch * inputCount)
    for c in 0..<4 {
        for i in 0..<batch * inputCount where Double(rng.nextUnitFloat()) < densities[c] {
            f[c * batch * inputCount + i] = S(rng.nextUnitFloat()) * 3 + S(0.1)
        }
    }
    return f
}

/// A normalisation with offsets on every channel: means in [-0.5, 1.5), stds in [0.3, 2.3).
func randomNormalisation<S: NetworkScalar>(inputCount: Int, seed: UInt64) -> InputNormalisation<S> {
    var rng = SplitMix64(seed: seed)
    let n = 4 * inputCount
    let mean = (0..<n).map { _ in Double(rng.nextUnitFloat()) * 2 - 0.5 }
    let std = (0..<n).map { _ in 0.3 + Double(rng.nextUnitFloat()) * 2 }
    return InputNormalisation(mean: mean.map { S($0) }, std: std.map { S($0) }, length: inputCount)
}
