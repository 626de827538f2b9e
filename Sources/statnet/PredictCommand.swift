import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify images (PGM or PNG, any size, light or dark ink) or a dataset digit with a trained model.",
        discussion: "Each image is made into an MNIST digit first, as MNIST's were made: inverted if its ink is dark, its background noise removed, cropped to the ink, the longer side scaled to 20 pixels, placed in 28x28 by its centre of mass (--show prints what the model saw). --raw skips that for images that already are 28x28 MNIST digits.")

    @Option(help: ArgumentHelp("Run folder holding model.safetensors (or the file itself).", valueName: "DIR"))
    var checkpoint: String
    @Argument(help: ArgumentHelp("Images: binary or plain PGM (8 or 16 bit) or PNG (grey, RGB, palette, with or without alpha).", valueName: "IMAGE"))
    var images: [String] = []
    @Option(help: "Classify a dataset digit instead: test or train (with --index).")
    var split: MNISTSplitName?
    @Option(parsing: .unconditional, help: "Index of the dataset digit (with --split).")
    var index: Int?
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Take the images as they are: 28x28 MNIST digits (light ink on black).")
    var raw = false
    @Flag(help: "Print the 28x28 digit the model saw, as a block picture.")
    var show = false
    @OptionGroup var output: JSONOption

    func validate() throws {
        if images.isEmpty && split == nil { throw ValidationError("nothing to classify: give image files, or --split with --index") }
        if !images.isEmpty && split != nil { throw ValidationError("give image files, or --split with --index, not both") }
        if split != nil, index == nil { throw ValidationError("--split needs --index") }
    }

    /// What the model sees of each input, and its name.
    func inputs(loading model: inout TrainedModel?) throws -> [(name: String, digit: [UInt8], label: Int?)] {
        if let split, let index {
            let data = try MNIST.loadSplit(split, directory: dataOptions.directory)
            guard (0..<data.count).contains(index) else {
                throw ValidationError("--index \(index) is outside 0..<\(data.count) for the \(split.rawValue) split")
            }
            return [("\(split.rawValue)[\(index)]", Array(data.image(index)), Int(data.labels[index]))]
        }
        // Every file is read and made into its 784-pixel digit (or refused) before the model is
        // loaded, one at a time: only one decoded image is in memory, however many are given.
        var digits: [(name: String, digit: [UInt8], label: Int?)] = []
        for path in images {
            try StopRequest.check()
            let digit = raw ? try RawDigit.read(path) : try DigitPreprocessor.mnistDigit(from: try ImageFile.read(path), path: path).pixels
            digits.append((path, digit, nil))
        }
        model = try loadModel(count: digits.count)
        return digits
    }

    func loadModel(count: Int) throws -> TrainedModel {
        try TrainedModel(folder: checkpoint, batchCapacity: max(1, min(count, 64)))
    }

    func run() throws {
        var loaded: TrainedModel?
        let inputs = try inputs(loading: &loaded)
        let model = try loaded ?? loadModel(count: inputs.count)
        let probabilities = try model.probabilities(of: inputs.map(\.digit))
        struct Prediction: Encodable { let image: String; let label: Int?; let digit: Int; let probabilities: [Double]; let pixels: [UInt8]? }
        var predictions: [Prediction] = []
        for (input, p) in zip(inputs, probabilities) {
            var digit = 0
            for c in p.indices where p[c] > p[digit] { digit = c }
            predictions.append(Prediction(image: input.name, label: input.label, digit: digit,
                                          probabilities: p.map { (Double($0) * 1e6).rounded() / 1e6 }, pixels: show ? input.digit : nil))
        }
        if output.json {
            let text = predictions.count == 1 && images.count <= 1 ? try JSONFormat.encode(predictions[0]) : try JSONFormat.encode(predictions)
            print(String(decoding: text, as: UTF8.self))
            return
        }
        for (k, prediction) in predictions.enumerated() {
            if predictions.count > 1 || prediction.label != nil {
                print("\(prediction.image): " + (prediction.label.map { "label \($0), " } ?? ""), terminator: "")
            }
            print("digit \(prediction.digit)")
            for (d, p) in prediction.probabilities.enumerated() { print(String(format: "  %d  %.4f", d, p)) }
            if show { print(Self.picture(inputs[k].digit)) }
        }
    }

    /// The digit as rows of shaded blocks, two characters per pixel so it looks square.
    static func picture(_ pixels: [UInt8]) -> String {
        let shades = [" ", "░", "▒", "▓", "█"]
        return stride(from: 0, to: pixels.count, by: MNISTSplit.side).map { start in
            pixels[start..<start + MNISTSplit.side].map { v in
                let s = shades[min(shades.count - 1, Int(v) * shades.count / 256)]
                return s + s
            }.joined()
        }.joined(separator: "\n")
    }
}
