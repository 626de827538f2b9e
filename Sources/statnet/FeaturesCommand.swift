import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "The four feature channels (energy, level, entropy, mean energy): of one image, or of a whole split exported for NumPy and PyTorch.",
        subcommands: [Show.self, Export.self],
        defaultSubcommand: Show.self)
}

extension FeaturesCommand {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the four feature channels of one image (the default: `statnet features --index 3` is `statnet features show --index 3`).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Feature variant: \(FeatureVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variant: FeatureVariant = .boltzmann
    @Option(help: "MNIST split to take the image from.")
    var split: MNISTSplitName = .test
    @Option(parsing: .unconditional, help: "Index of the image in the split.")
    var index: Int = 0
    @Option(help: ArgumentHelp("Use your own image instead of MNIST (PGM or PNG, any size; made into an MNIST digit as `statnet predict` does).", valueName: "FILE"))
    var image: String?
    @Flag(help: "With --image: take it as it is, a 28x28 MNIST digit (light ink on black).")
    var raw = false
    @Option(help: "Output format: table, csv or json.")
    var format: Format = .table

    func run() throws {
        let pixels: [UInt8]
        var label: UInt8?
        if let image {
            pixels = raw ? try RawDigit.read(image) : try DigitPreprocessor.mnistDigit(from: try ImageFile.read(image), path: image).pixels
        } else {
            let data = try MNIST.loadSplit(split, directory: dataOptions.directory)
            guard (0..<data.count).contains(index) else {
                throw ValidationError("--index \(index) is outside 0..<\(data.count) for the \(split.rawValue) split")
            }
            pixels = Array(data.image(index))
            label = data.labels[index]
        }
        let channels = FeatureExtractor(variant: variant).channels(of: pixels)
        let names = FeatureChannel.allCases.map(\.name)
        switch format {
        case .json:
            var object: [String: Any] = ["variant": variant.rawValue, "input": pixels.map(Int.init)]
            if let label { object["label"] = Int(label) }
            for (name, values) in zip(names, channels) { object[name] = values.map(Double.init) }
            let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        case .csv:
            print((["position", "row", "column", "pixel"] + names).joined(separator: ","))
            for p in 0..<MNISTSplit.pixelCount {
                print(([String(p), String(p / MNISTSplit.side), String(p % MNISTSplit.side), String(pixels[p])] + channels.map { String($0[p]) }).joined(separator: ","))
            }
        case .table:
            let source = image ?? "\(split.rawValue)[\(index)] (label \(label.map(String.init) ?? "?"))"
            print("\(source), variant \(variant.rawValue); positions with a non-zero pixel, then the last:")
            print(["pos", "pixel", "energy", "level", "entropy", "meanEnergy"].map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
            for p in 0..<MNISTSplit.pixelCount where pixels[p] != 0 || p == MNISTSplit.pixelCount - 1 {
                let cells = [String(p), String(pixels[p])] + channels.map { String(format: "%.4f", $0[p]) }
                print(cells.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
            }
        }
    }
}
}

extension FeaturesCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the features of a split for NumPy or PyTorch: float32 [N, 4, 28, 28] (energy, level, entropy, mean energy, before normalisation) and uint8 labels [N].",
            discussion: "npy: PATH is a folder that gets features.npy and labels.npy. safetensors: PATH is one file with tensors features and labels. Written in blocks (memory stays small) and atomically.")

        enum Split: String, ExpressibleByArgument, CaseIterable { case train, test, all }

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Feature variant: \(FeatureVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
        var variant: FeatureVariant = .boltzmann
        @Option(help: "train (60,000 images), test (10,000), or all (train then test).")
        var split: Split = .test
        @Option(help: "npy or safetensors.")
        var format: FeatureExporter.Format = .npy
        @Option(help: ArgumentHelp("Output: a folder for npy, a file for safetensors.", valueName: "PATH"))
        var out: String
        @OptionGroup var threadOptions: ThreadOptions

        func validate() throws { try requirePath(out, "--out") }

        func run() throws {
            let mnist = try MNIST.load(directory: dataOptions.directory)
            let splits: [MNISTSplit] = switch split {
            case .train: [mnist.train]
            case .test: [mnist.test]
            case .all: [mnist.train, mnist.test]
            }
            var lastTenth = -1
            let files = try FeatureExporter(variant: variant).export(splits, format: format, to: out, threads: threadOptions.threads) { done, total in
                let tenth = done * 10 / max(total, 1)
                if tenth != lastTenth {
                    lastTenth = tenth
                    note("features export: \(done) of \(total) images")
                }
            }
            for file in files { print(file) }
        }
    }
}

extension FeatureExporter.Format: ExpressibleByArgument {}
