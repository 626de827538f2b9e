import XCTest
import StatNet

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

    /// The whole model, both kinds, with dropout on (the same mask in every evaluation).
    func testWholeModel() throws {
        for kind in ModelKind.allCases {
            let network = FourBranchNetwork(kind: kind, shape: ModelShape(inputCount: 6, hiddenCount: 5, classCount: 3), dropout: 0.5)
            let batch = 3
            let params: [Double] = network.initialParameters(seed: 9)
            let features = random(4 * batch * 6), labels: [UInt8] = [2, 0, 1]
            let workspace = NetworkWorkspace<Double>(shape: network.shape, capacity: batch, dropoutSeed: 1)
            let masks = workspace.dropoutRNG
            func loss(_ params: [Double]) -> Double {
                workspace.dropoutRNG = masks
                return params.withUnsafeBufferPointer { p in features.withUnsafeBufferPointer { f in labels.withUnsafeBufferPointer { l in
                    network.forward(parameters: p.baseAddress!, features: f.baseAddress!, batch: batch, training: true, workspace: workspace, threads: 2)
                    return SoftmaxCrossEntropy.forwardBackward(logits: workspace.logits.baseAddress!, labels: l.baseAddress!, batch: batch, classes: 3, gradient: workspace.gradLogits.baseAddress!).lossSum / Double(batch)
                } } }
            }
            _ = loss(params)
            var grads = [Double](repeating: .nan, count: params.count)
            params.withUnsafeBufferPointer { p in features.withUnsafeBufferPointer { f in grads.withUnsafeMutableBufferPointer { g in
                network.backward(parameters: p.baseAddress!, features: f.baseAddress!, batch: batch, workspace: workspace,
                                 gradients: g.baseAddress!, threads: 1)
            } } }
            XCTAssertFalse(grads.contains { $0.isNaN }, "backward writes every gradient")
            assertGradient(grads, loss, at: params, "\(kind) dparams")
        }
    }

    /// The result of a step does not depend on how many cores run the branches.
    func testThreadCountDoesNotChangeResults() {
        let network = FourBranchNetwork(kind: .statnet, shape: ModelShape(inputCount: 30, hiddenCount: 20, classCount: 10))
        let batch = 8
        let features = (0..<4 * batch * 30).map { Float(($0 * 37) % 17) / 17 }, labels: [UInt8] = (0..<8).map { UInt8($0) }
        var results: [[Float]] = []
        for threads in [1, 2, 3] {
            let learner = Learner<Float>(network: network, parameters: network.initialParameters(seed: 1),
                                         adam: Adam(parameterCount: network.parameterCount), batchCapacity: batch, threads: threads, dropoutSeed: 4)
            for _ in 0..<3 {
                features.withUnsafeBufferPointer { f in labels.withUnsafeBufferPointer { _ = learner.step(features: f.baseAddress!, labels: $0.baseAddress!, batch: batch) } }
            }
            results.append(learner.parameters)
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
    }
}
