import Foundation
import XCTest
import StatNet

/// The network, its gradients and Adam against three steps PyTorch took in float64
/// (../shared/testdata/nn/adam-parity.json), for both models.
final class AdamParityTests: XCTestCase {
    struct Parity: Decodable {
        struct Shapes: Decodable { let `in`, hidden, out, batch: Int }
        struct Step: Decodable {
            let logits: [Double]
            let loss: Double
            let grads: [String: [Double]]
            let paramsAfter: [String: [Double]]
        }
        struct Case: Decodable {
            let model: String
            let inputs: [[Double]]
            let labels: [[UInt8]]
            let initialParams: [String: [Double]]
            let steps: [Step]
        }
        let shapes: Shapes
        let cases: [Case]
    }

    func testMatchesPyTorchForBothModels() throws {
        let url = TestPaths.shared.appendingPathComponent("testdata/nn/adam-parity.json")
        let parity = try JSONDecoder().decode(Parity.self, from: Data(contentsOf: url))
        let s = parity.shapes
        XCTAssertEqual(Set(parity.cases.map(\.model)), ["statnet", "mlpnet"])
        for c in parity.cases {
            let network = FourBranchNetwork(kind: try XCTUnwrap(ModelKind(rawValue: c.model)),
                                            shape: ModelShape(inputCount: s.in, hiddenCount: s.hidden, classCount: s.out), dropout: 0)
            var initial = [Double](repeating: .nan, count: network.parameterCount)
            for view in network.layout.views {
                network.layout.imported(view, try XCTUnwrap(c.initialParams[view.name], view.name), into: &initial)
            }
            XCTAssertFalse(initial.contains { $0.isNaN }, "every parameter is given")
            let learner = Learner<Double>(network: network, parameters: initial,
                                          adam: Adam(parameterCount: network.parameterCount, learningRate: 0.01),
                                          batchCapacity: s.batch, threads: 2, dropoutSeed: 0)
            for (t, step) in c.steps.enumerated() {
                // inputs[t] is [sample][channel][in]; the network reads [channel][sample][in].
                var features = [Double](repeating: 0, count: 4 * s.batch * s.in)
                for b in 0..<s.batch { for ch in 0..<4 { for p in 0..<s.in {
                    features[(ch * s.batch + b) * s.in + p] = c.inputs[t][(b * 4 + ch) * s.in + p]
                } } }
                let (lossSum, _) = features.withUnsafeBufferPointer { f in
                    c.labels[t].withUnsafeBufferPointer { learner.step(features: f.baseAddress!, labels: $0.baseAddress!, batch: s.batch) }
                }
                let context = "\(c.model) step \(t)"
                XCTAssertEqual(lossSum / Double(s.batch), step.loss, accuracy: 1e-10, context)
                let logits = Array(learner.workspace.logits.prefix(s.batch * s.out))
                assertClose(logits, step.logits, "\(context) logits")
                for view in network.layout.views {
                    assertClose(network.layout.exported(view, from: learner.gradients), try XCTUnwrap(step.grads[view.name]), "\(context) grad \(view.name)")
                    assertClose(network.layout.exported(view, from: learner.parameters), try XCTUnwrap(step.paramsAfter[view.name]), "\(context) \(view.name) after Adam")
                }
            }
        }
    }

    /// The expected values carry 12 decimals.
    func assertClose(_ got: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, expected.count, what, file: file, line: line)
        for (i, (g, e)) in zip(got, expected).enumerated() where abs(g - e) > 1e-10 + 1e-9 * abs(e) {
            XCTFail("\(what)[\(i)]: got \(g), PyTorch \(e)", file: file, line: line)
            return
        }
    }
}
