import XCTest
import StatNetCore

/// The sparse first layer and the folded normalisation of the reference network against the
/// dense GEMM with the normalisation applied explicitly: in Double to 1e-9, at several densities
/// including all-zero and all-dense batches.
final class SparseFirstLayerTests: XCTestCase {
    var shape = ModelShape(inputCount: 40, hiddenCount: 37, classCount: 5)   // 37: a tail that is not a whole vector
    let batch = 9

    func features(densities: [Double], seed: UInt64) -> [Double] {
        sparseFeatures(densities: densities, batch: batch, inputCount: shape.inputCount, seed: seed)
    }

    func normalisation(seed: UInt64) -> InputNormalisation<Double> { randomNormalisation(inputCount: shape.inputCount, seed: seed) }

    /// Logits and every gradient after one forward and backward pass of the reference network.
    func pass(_ kind: ModelKind, features f: [Double], normalisation: InputNormalisation<Double>?, policy: FirstLayerPolicy)
        -> (logits: [Double], gradients: [Double], sparse: [Bool], density: [Double]) {
        let architecture = FourBranchArchitecture(kind: kind, shape: shape, dropout: 0.5)
        let network = FourBranchNetwork<Double>(architecture: architecture, parameters: architecture.initialParameters(seed: 4),
                                                batchCapacity: batch, threads: 2, dropoutSeed: 2, normalisation: normalisation)
        network.firstLayerPolicy = policy
        let labels = (0..<batch).map { UInt8($0 % shape.classCount) }
        network.forward(batch: FeatureBatch(features: f, labels: labels, inputCount: shape.inputCount), training: true)
        network.backward()
        return (network.logits, network.gradients, network.sparseChannel, network.channelDensity)
    }

    /// The explicit normalisation on the features, then the plain network: the reference.
    func explicit(_ kind: ModelKind, features f: [Double], normalisation n: InputNormalisation<Double>) -> (logits: [Double], gradients: [Double]) {
        var normalised = f
        let d = shape.inputCount
        for c in 0..<4 { for r in 0..<batch { for q in 0..<d {
            normalised[(c * batch + r) * d + q] = (f[(c * batch + r) * d + q] - n.mean[c * d + q]) / n.std[c * d + q]
        } } }
        let r = pass(kind, features: normalised, normalisation: nil, policy: .alwaysDense)
        return (r.logits, r.gradients)
    }

    func assertClose(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        XCTAssertFalse(a.contains { $0.isNaN }, "\(what): every value written", file: file, line: line)
        let scale = max(b.map(abs).max() ?? 1, 1e-12)
        for i in a.indices where abs(a[i] - b[i]) > 1e-9 * scale {
            return XCTFail("\(what)[\(i)]: \(a[i]) vs \(b[i])", file: file, line: line)
        }
    }

    func testSparseAndDenseAgreeWithAndWithoutNormalisation() {
        for densities in [[0.0, 0.0, 0.0, 0.0], [0.05, 0.3, 0.6, 1.0], [1.0, 1.0, 1.0, 1.0], [0.2, 0.0, 1.0, 0.5]] {
            for kind in ModelKind.allCases {
                let f = features(densities: densities, seed: 7)
                let dense = pass(kind, features: f, normalisation: nil, policy: .alwaysDense)
                let sparse = pass(kind, features: f, normalisation: nil, policy: .alwaysSparse)
                XCTAssertTrue(sparse.sparse.contains(true) && !dense.sparse.contains(true))
                assertClose(sparse.logits, dense.logits, "\(kind) \(densities) logits")
                assertClose(sparse.gradients, dense.gradients, "\(kind) \(densities) gradients")

                // Folded normalisation (sparse) and the dense path's explicit normalisation
                // against normalising the features first.
                let n = normalisation(seed: 3)
                let reference = explicit(kind, features: f, normalisation: n)
                for policy in [FirstLayerPolicy.alwaysSparse, .alwaysDense, .automatic] {
                    let r = pass(kind, features: f, normalisation: n, policy: policy)
                    assertClose(r.logits, reference.logits, "\(kind) \(densities) \(policy) normalised logits")
                    assertClose(r.gradients, reference.gradients, "\(kind) \(densities) \(policy) normalised gradients")
                }
            }
        }
    }

    /// `inputRows(ofWeightRange:)` undoes `weightRows`, and finds no rows in a range that is not
    /// whole rows of the weight (the bias, part of a row, past the end).
    func testInputRowsOfWeightRangeInvertsWeightRows() {
        var layout = ParameterLayout()
        _ = Linear(inputCount: 3, outputCount: 2, name: "before", layout: &layout)
        let layer = Linear(inputCount: 10, outputCount: 7, name: "layer", layout: &layout)
        for rows in [0..<1, 3..<7, 0..<10, 9..<10] {
            XCTAssertEqual(layer.inputRows(ofWeightRange: layer.weightRows(rows)), rows)
        }
        let w = layer.weight.range
        XCTAssertNil(layer.inputRows(ofWeightRange: layer.bias.range))
        XCTAssertNil(layer.inputRows(ofWeightRange: w.lowerBound + 1..<w.lowerBound + 8), "not on a row boundary")
        XCTAssertNil(layer.inputRows(ofWeightRange: w.lowerBound..<w.lowerBound + 5), "part of a row")
        XCTAssertNil(layer.inputRows(ofWeightRange: w.upperBound - 7..<w.upperBound + 7), "past the weight")
        XCTAssertNil(layer.inputRows(ofWeightRange: w.lowerBound - 7..<w.lowerBound), "before the weight")
    }

    /// The density the forward pass reports is each channel's fraction of non-zeros (counted in
    /// the sparse builder's first pass), and building in two halves equals building at once.
    func testCountedDensityAndSplitBuild() {
        let f = features(densities: [0.0, 0.2, 0.6, 1.0], seed: 7)
        let d = shape.inputCount
        let densities = pass(.statnet, features: f, normalisation: nil, policy: .automatic).density
        for c in 0..<4 {
            let x = Array(f[c * batch * d..<(c + 1) * batch * d])
            XCTAssertEqual(densities[c], x.withUnsafeBufferPointer { SparseInput<Double>.density(of: $0) }, "channel \(c)")
            let once = SparseInput<Double>(capacityRows: batch, columns: d), split = SparseInput<Double>(capacityRows: batch, columns: d)
            x.withUnsafeBufferPointer { x in
                once.build(from: x, rows: batch, divisor: nil)
                XCTAssertEqual(split.countNonZeros(of: x, rows: batch), x.filter { $0 != 0 }.count, "channel \(c)")
                split.fill(from: x, divisor: nil)
            }
            XCTAssertEqual(Array(split.columnStart), Array(once.columnStart), "channel \(c)")
            XCTAssertEqual(Array(split.byColumnIndex.prefix(once.nonZeroCount)), Array(once.byColumnIndex.prefix(once.nonZeroCount)), "channel \(c)")
            XCTAssertEqual(Array(split.byColumnValue.prefix(once.nonZeroCount)), Array(once.byColumnValue.prefix(once.nonZeroCount)), "channel \(c)")
        }
    }

    /// The automatic choice follows the measured limit, channel by channel.
    func testAutomaticChoiceFollowsTheDensity() {
        let f = features(densities: [0.1, 0.2, 0.9, 1.0], seed: 1)
        let r = pass(.statnet, features: f, normalisation: nil, policy: .automatic)
        XCTAssertEqual(r.sparse, [true, true, false, false])
        XCTAssertTrue(FirstLayerPolicy.automatic.usesSparse(density: FirstLayerPolicy.sparseDensityLimit))
        XCTAssertFalse(FirstLayerPolicy.automatic.usesSparse(density: FirstLayerPolicy.sparseDensityLimit + 0.01))
    }

    /// ReLU + dropout at p = 0.5: the Float kernel (AVX-512 masks) gives the scalar rule's bits.
    func testReLUDropoutKernelMatchesScalarRule() {
        var rng = SplitMix64(seed: 3)
        let n = 1000 + 13
        let z = (0..<n).map { _ in rng.nextUnitFloat() - 0.5 }
        var out = z, generator = SplitMix64(seed: 9), words = SplitMix64(seed: 9)
        out.withUnsafeMutableBufferPointer { Kernels.reluDropout($0, p: 0.5, rng: &generator) }
        var bits: UInt64 = 0
        for i in 0..<n {
            if i % 64 == 0 { bits = words.next() }
            let expected: Float = (bits >> UInt64(i % 64)) & 1 == 1 && z[i] > 0 ? z[i] * 2 : 0
            XCTAssertEqual(out[i].bitPattern, expected.bitPattern, "element \(i)")
        }
        XCTAssertEqual(generator, words, "one word per 64 elements")
    }
}
