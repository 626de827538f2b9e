import ArgumentParser
import Foundation
import StatNet

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Classify a 28x28 8-bit PGM image with a trained model.")

    @Option(help: ArgumentHelp("Run folder holding model.safetensors (or the file itself).", valueName: "DIR"))
    var checkpoint: String
    @Argument(help: ArgumentHelp("The image (binary P5 or plain P2 PGM, 28x28, white digit on black as in MNIST).", valueName: "IMAGE.pgm"))
    var image: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let pixels = try PGMImage.read(path: image)
        let model = try TrainedModel(folder: checkpoint, batchCapacity: 1)
        let probabilities = model.probabilities(of: [pixels])[0]
        let digit = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        if output.json {
            print(#"{"digit":\#(digit),"probabilities":[\#(probabilities.map { String(format: "%.6f", $0) }.joined(separator: ","))]}"#)
        } else {
            print("digit \(digit)")
            for (d, p) in probabilities.enumerated() { print(String(format: "  %d  %.4f", d, p)) }
        }
    }
}
