import Foundation
import XCTest
import StatNetCore

/// The reference network, its gradients and Adam (`ReferenceTrainingStep`) against three steps
/// PyTorch took in float64 (../shared/testdata/nn/adam-parity.json), for both models.
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
        let url = CoreTestPaths.shared.appendingPathComponent("testdata/nn/adam-parity.json")
        let parity = try JSONDecoder().decode(Parity.self, from: Data(contentsOf: url))
        let s = parity.shapes
        XCTAssertEqual(Set(parity.cases.map(\.model)), ["statnet", "mlpnet"])
        for c in parity.cases {
            let architecture = FourBranchArchitecture(kind: try XCTUnwrap(ModelKind(rawValue: c.model)),
                                                      shape: ModelShape(inputCount: s.in, hiddenCount: s.hidden, classCount: s.out), dropout: 0)
            let layout = architecture.layout
            var initial = [Double](repeating: .nan, count: architecture.parameterCount)
            for view in layout.views {
                layout.imported(view, try XCTUnwrap(c.initialParams[view.name], view.name), into: &initial)
            }
            XCTAssertFalse(initial.contains { $0.isNaN }, "every parameter is given")
            let network = FourBranchNetwork(architecture: architecture, parameters: initial, batchCapacity: s.batch, threads: 2)
            let step = ReferenceTrainingStep(network: network, optimiser: Adam(parameterCount: architecture.parameterCount, learningRate: 0.01))
            for t in c.steps.indices {
                // inputs[t] is [sample][channel][in]; the network reads [channel][sample][in].
                var features = [Double](repeating: 0, count: 4 * s.batch * s.in)
                for b in 0..<s.batch { for ch in 0..<4 { for p in 0..<s.in {
                    features[(ch * s.batch + b) * s.in + p] = c.inputs[t][(b * 4 + ch) * s.in + p]
                } } }
                let torch = c.steps[t]
                let loss = step.step(batch: FeatureBatch(features: features, labels: c.labels[t], inputCount: s.in))
                let context = "\(c.model) step \(t)"
                XCTAssertEqual(loss.lossSum / Double(s.batch), torch.loss, accuracy: 1e-10, context)
                assertClose(network.logits, torch.logits, "\(context) logits")
                for view in layout.views {
                    assertClose(layout.exported(view, from: network.gradients), try XCTUnwrap(torch.grads[view.name]), "\(context) grad \(view.name)")
                    assertClose(layout.exported(view, from: network.parameters), try XCTUnwrap(torch.paramsAfter[view.name]), "\(context) \(view.name) after Adam")
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
