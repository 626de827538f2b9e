import XCTest
@testable import StatNetCore

/// The fused training step against the reference step, in Float with the C kernels, bit for
/// bit. 300 inputs give several gradient blocks of both sizes with a tail (32-row blocks on the
/// sparse path, 128-row blocks on the dense one); the features' first two channels go sparse.
final class FusedTrainingStepTests: XCTestCase {
    let shape = ModelShape(inputCount: 300, hiddenCount: 37, classCount: 5)
    let batch = 9

    func makeBatch(seed: UInt64) -> FeatureBatch<Float> {
        FeatureBatch(features: sparseFeatures(densities: [0.2, 0.3, 0.9, 1.0], batch: batch, inputCount: shape.inputCount, seed: seed),
                     labels: (0..<batch).map { UInt8($0 % shape.classCount) }, inputCount: shape.inputCount)
    }

    func makeNetwork(_ kind: ModelKind, normalisation: InputNormalisation<Float>?, policy: FirstLayerPolicy = .automatic,
                     threads: Int = 2) -> FourBranchNetwork<Float> {
        let architecture = FourBranchArchitecture(kind: kind, shape: shape)
        let network = FourBranchNetwork(architecture: architecture, parameters: architecture.initialParameters(seed: 1), batchCapacity: batch,
                                        threads: threads, dropoutSeed: 4, normalisation: normalisation)
        network.firstLayerPolicy = policy
        return network
    }

    func makeStep(_ kind: TrainingStepKind, _ network: FourBranchNetwork<Float>) -> any TrainingStep {
        kind.makeStep(network: network, optimiser: Adam(parameterCount: network.architecture.parameterCount))
    }

    struct Trajectory {
        var losses: [BatchLoss] = []
        var parameters: [UInt32] = []
        var m: [UInt32] = []
        var v: [UInt32] = []
        var evaluation = BatchLoss(lossSum: 0, correct: 0)
    }

    /// `steps` steps on alternating batches, then an evaluation; every number as bits.
    func train(_ step: any TrainingStep, steps: Int) -> Trajectory {
        let batches = [makeBatch(seed: 5), makeBatch(seed: 6)]
        var t = Trajectory()
        for s in 0..<steps { t.losses.append(step.step(batch: batches[s % 2])) }
        t.evaluation = step.evaluate(batch: batches[0])
        t.parameters = step.parameters.map(\.bitPattern)
        t.m = step.optimiser.m.map(\.bitPattern)
        t.v = step.optimiser.v.map(\.bitPattern)
        return t
    }

    /// Every fusion together (Adam per block, the cache-resident blocks, the kept `offset Wt`)
    /// gives the reference step's parameters, moments, losses and evaluation, to the bit: both
    /// models, with and without a normalisation, every first-layer policy.
    func testFusedStepGivesTheReferenceStepsBits() {
        let normalisation: InputNormalisation<Float> = randomNormalisation(inputCount: shape.inputCount, seed: 3)
        for kind in ModelKind.allCases {
            for normalisation in [nil, normalisation] {
                for policy in [FirstLayerPolicy.automatic, .alwaysDense, .alwaysSparse] {
                    let fusedNetwork = makeNetwork(kind, normalisation: normalisation, policy: policy)
                    let fused = train(makeStep(.fused, fusedNetwork), steps: 4)
                    let reference = train(makeStep(.reference, makeNetwork(kind, normalisation: normalisation, policy: policy)), steps: 4)
                    let what = "\(kind) normalised \(normalisation != nil) \(policy)"
                    XCTAssertEqual(fused.losses, reference.losses, what)
                    assertSameBits(fused.parameters, reference.parameters, "\(what): parameters")
                    assertSameBits(fused.m, reference.m, "\(what): first moments")
                    assertSameBits(fused.v, reference.v, "\(what): second moments")
                    XCTAssertEqual(fused.evaluation, reference.evaluation, what)
                    if policy == .automatic {
                        XCTAssertEqual(fusedNetwork.sparseChannel[0], true, "\(what): the first channel goes sparse")
                    }
                }
            }
        }
    }

    /// After the parameters change outside a step, the next pass does not use the `offset Wt`
    /// the last step kept: its loss is that of a fresh network holding the new parameters.
    func testKeptProductsAreNotUsedOnceTheParametersChange() {
        let normalisation: InputNormalisation<Float> = randomNormalisation(inputCount: shape.inputCount, seed: 3)
        let batch = makeBatch(seed: 5)
        for kind in ModelKind.allCases {
            let network = makeNetwork(kind, normalisation: normalisation)
            let step = FusedTrainingStep(network: network, optimiser: Adam(parameterCount: network.architecture.parameterCount))
            for _ in 0..<2 { step.step(batch: batch) }
            XCTAssertTrue(step.keptProductsAreCurrent, "\(kind): the step keeps the sparse branch's product")
            var changed = network.parameters
            for i in network.architecture.branches[0].weight.range { changed[i] *= 0.5 }
            network.setParameters(changed)
            XCTAssertFalse(step.keptProductsAreCurrent, "\(kind): a new generation")
            let fresh = makeNetwork(kind, normalisation: normalisation)
            fresh.setParameters(changed)
            XCTAssertEqual(step.evaluate(batch: batch), fresh.forward(batch: batch, training: false), "\(kind)")
        }
    }

    /// A step restored from another's parameters, moments and generators continues exactly.
    func testRestoredStepContinuesExactly() {
        for kind in [TrainingStepKind.fused, .reference] {
            let whole = train(makeStep(kind, makeNetwork(.statnet, normalisation: nil)), steps: 4)
            let first = makeStep(kind, makeNetwork(.statnet, normalisation: nil))
            _ = train(first, steps: 2)
            let second = makeStep(kind, makeNetwork(.statnet, normalisation: nil))
            second.restore(parameters: first.parameters, optimiser: first.optimiser, dropoutGenerators: first.dropoutGenerators)
            let batches = [makeBatch(seed: 5), makeBatch(seed: 6)]
            for s in 2..<4 { second.step(batch: batches[s % 2]) }
            assertSameBits(second.parameters.map(\.bitPattern), whole.parameters, "\(kind): parameters")
            assertSameBits(second.optimiser.v.map(\.bitPattern), whole.v, "\(kind): second moments")
        }
    }

    /// The result of a step does not depend on how many cores run the branches.
    func testThreadCountDoesNotChangeResults() {
        let runs = [1, 2, 3].map { threads in
            train(makeStep(.fused, makeNetwork(.statnet, normalisation: nil, threads: threads)), steps: 3)
        }
        for (k, threads) in [(1, 2), (2, 3)] {
            XCTAssertEqual(runs[0].losses, runs[k].losses, "\(threads) threads")
            assertSameBits(runs[0].parameters, runs[k].parameters, "\(threads) threads: parameters")
            assertSameBits(runs[0].v, runs[k].v, "\(threads) threads: second moments")
        }
    }

    /// Equal bit patterns, reporting the first difference (not two arrays of a hundred thousand).
    func assertSameBits(_ a: [UInt32], _ b: [UInt32], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        if a.count == b.count, let i = a.indices.first(where: { a[$0] != b[$0] }) {
            let differing = zip(a, b).filter { $0 != $1 }.count
            XCTFail("\(what): \(differing) values differ, the first at \(i): \(Float(bitPattern: a[i])) against \(Float(bitPattern: b[i]))",
                    file: file, line: line)
        }
    }
}
