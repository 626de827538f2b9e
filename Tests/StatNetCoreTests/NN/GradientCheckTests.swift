import XCTest
@testable import StatNetCore

/// Finite-difference checks, in Double on small shapes, of every hand-written derivative.
final class GradientCheckTests: XCTestCase {
    var rng = SplitMix64(seed: 11)
    func random(_ n: Int) -> [Double] { (0..<n).map { _ in Double(rng.nextUnitFloat()) * 2 - 1 } }

    /// Central difference of `f` at `x[i]`.
    func numeric(_ f: ([Double]) -> Double, _ x: [Double], _ i: Int, h: Double = 1e-6) -> Double {
        var a = x, b = x
        a[i] += h
        b[i] -= h
        return (f(a) - f(b)) / (2 * h)
    }

    func assertGradient(_ analytic: [Double], _ f: ([Double]) -> Double, at x: [Double], _ what: String) {
        for i in 0..<x.count {
            let n = numeric(f, x, i)
            XCTAssertEqual(analytic[i], n, accuracy: 1e-6 + 1e-5 * abs(n), "\(what)[\(i)]")
        }
    }

    func testSoftmaxCrossEntropy() {
        let (batch, classes) = (3, 4)
        let logits = random(batch * classes), labels: [UInt8] = [0, 3, 2]
        func loss(_ z: [Double]) -> Double {
            z.withUnsafeBufferPointer { z in labels.withUnsafeBufferPointer {
                SoftmaxCrossEntropy.forwardBackward(logits: z.baseAddress!, labels: $0.baseAddress!, batch: batch, classes: classes, gradient: nil).lossSum
            } } / Double(batch)
        }
        var gradient = [Double](repeating: 0, count: batch * classes)
        logits.withUnsafeBufferPointer { z in labels.withUnsafeBufferPointer { l in gradient.withUnsafeMutableBufferPointer {
            _ = SoftmaxCrossEntropy.forwardBackward(logits: z.baseAddress!, labels: l.baseAddress!, batch: batch, classes: classes, gradient: $0.baseAddress!)
        } } }
        assertGradient(gradient, loss, at: logits, "dlogits")
        // Stability: huge logits give a finite loss.
        XCTAssertTrue(loss([1e4, 0, 0, 0, 0, 1e4, 0, 0, 0, 0, -1e4, 0]).isFinite)
    }

    /// Linear: `L = sum(y * r)` for a fixed random r, so dL/dy = r.
    func testLinear() {
        var layout = ParameterLayout()
        let layer = Linear(inputCount: 5, outputCount: 3, name: "l", layout: &layout)
        let batch = 4
        let params = random(layout.count), x = random(batch * 5), r = random(batch * 3)
        func loss(_ params: [Double], _ x: [Double]) -> Double {
            var y = [Double](repeating: 0, count: batch * 3)
            params.withUnsafeBufferPointer { p in x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer {
                layer.forward(x.baseAddress!, batch: batch, parameters: p.baseAddress!, into: $0.baseAddress!)
            } } }
            return zip(y, r).map(*).reduce(0, +)
        }
        var grads = [Double](repeating: 0, count: layout.count), dx = [Double](repeating: 0, count: batch * 5)
        params.withUnsafeBufferPointer { p in x.withUnsafeBufferPointer { x in r.withUnsafeBufferPointer { r in
            grads.withUnsafeMutableBufferPointer { layer.backwardParameters(input: x.baseAddress!, gradOutput: r.baseAddress!, batch: batch, gradients: $0.baseAddress!) }
            dx.withUnsafeMutableBufferPointer { layer.backwardInput(gradOutput: r.baseAddress!, batch: batch, parameters: p.baseAddress!, into: $0.baseAddress!) }
        } } }
        assertGradient(grads, { loss($0, x) }, at: params, "dparams")
        assertGradient(dx, { loss(params, $0) }, at: x, "dx")
    }

    /// ReLU + inverted dropout with a fixed mask: the derivative is the scale where a unit passed.
    func testReLUDropout() {
        let z = random(200).map { abs($0) > 1e-3 ? $0 : 0.5 }, r = random(200)
        for p in [0.0, 0.5, 0.3] {
            func loss(_ z: [Double]) -> Double {
                var y = z, g = SplitMix64(seed: 5)
                y.withUnsafeMutableBufferPointer { Kernels.reluDropout($0, p: p, rng: &g) }
                return zip(y, r).map(*).reduce(0, +)
            }
            var y = z, g = SplitMix64(seed: 5), gradient = r
            y.withUnsafeMutableBufferPointer { Kernels.reluDropout($0, p: p, rng: &g) }
            y.withUnsafeBufferPointer { y in gradient.withUnsafeMutableBufferPointer {
                Kernels.reluDropoutBackward($0, output: y, p: p)
            } }
            assertGradient(gradient, loss, at: z, "relu-dropout p=\(p)")
            let kept = y.filter { $0 != 0 }.count, positive = z.filter { $0 > 0 }.count
            if p == 0 { XCTAssertEqual(kept, positive) } else { XCTAssertLessThan(kept, positive) }
        }
    }

    /// The whole model, both kinds, with dropout on (the same mask in every evaluation), on the
    /// dense path and on the sparse one with the normalisation folded into the first layer.
    func testWholeModel() throws {
        let shape = ModelShape(inputCount: 6, hiddenCount: 5, classCount: 3), batch = 3
        let normalisation: InputNormalisation<Double> = randomNormalisation(inputCount: shape.inputCount, seed: 2)
        for kind in ModelKind.allCases {
            for (policy, normalisation) in [(FirstLayerPolicy.alwaysDense, nil), (.alwaysSparse, nil), (.alwaysSparse, normalisation), (.alwaysDense, normalisation)] {
                let architecture = FourBranchArchitecture(kind: kind, shape: shape, dropout: 0.5)
                let params: [Double] = architecture.initialParameters(seed: 9)
                let features: [Double] = sparseFeatures(densities: [0.5, 0.6, 1, 1], batch: batch, inputCount: shape.inputCount, seed: 4)
                let input = FeatureBatch(features: features, labels: [2, 0, 1], inputCount: shape.inputCount)
                let network = FourBranchNetwork(architecture: architecture, parameters: params, batchCapacity: batch, threads: 2,
                                                dropoutSeed: 1, normalisation: normalisation)
                network.firstLayerPolicy = policy
                let masks = network.dropoutGenerators
                func loss(_ params: [Double]) -> Double {
                    network.setParameters(params)
                    network.dropoutGenerators = masks
                    return network.forward(batch: input, training: true).lossSum / Double(batch)
                }
                _ = loss(params)
                network.gradients = [Double](repeating: .nan, count: params.count)
                network.backward()
                let grads = network.gradients
                XCTAssertFalse(grads.contains { $0.isNaN }, "backward writes every gradient")
                XCTAssertEqual(network.sparseChannel.contains(true), policy == .alwaysSparse)
                assertGradient(grads, loss, at: params, "\(kind) \(policy) normalised \(normalisation != nil) dparams")
            }
        }
    }
}
