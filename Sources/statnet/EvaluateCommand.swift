import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Loss and accuracy of a trained model on the test or validation split.")

    enum Split: String, ExpressibleByArgument, CaseIterable { case test, validation }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Run folder holding model.safetensors (or the file itself).", valueName: "DIR"))
    var checkpoint: String
    @Option(help: "test, or validation (the run's own seeded 5,000 images).")
    var split: Split = .test
    @Option(parsing: .unconditional, help: ArgumentHelp("Only the first N images of the split (default: all).", valueName: "N"))
    var count: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Also list the N most confident mistakes (index, label, prediction, probability).", valueName: "N"))
    var misclassified: Int = 0
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var output: JSONOption

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1 (got \(count))") }
        guard misclassified >= 0 else { throw ValidationError("--misclassified must be 0 or more (got \(misclassified))") }
    }

    func run() throws {
        let threads = threadOptions.threads
        let model = try TrainedModel(folder: checkpoint, threads: threads)
        let mnist = try MNIST.load(directory: dataOptions.directory)
        let config = model.config
        let (source, all): (MNISTSplit, [Int])
        switch split {
        case .test: (source, all) = (mnist.test, Array(0..<mnist.test.count))
        case .validation:
            let s = try DatasetSplit(poolSize: mnist.train.count, validationSize: config.validationSize, trainSize: config.trainSize, seed: config.seed)
            (source, all) = (mnist.train, s.validation)
        }
        let indices = Array(all.prefix(count ?? all.count))
        let e = try model.evaluate(indices: indices, of: source, threads: threads)
        let classification = Classification(probabilities: try model.probabilities(indices: indices, of: source, threads: threads),
                                            labels: indices.map { Int(source.labels[$0]) }, indices: indices)
        let mistakes = Array(classification.mistakes.prefix(misclassified))
        if output.json {
            struct Output: Encodable {
                let split: String, count: Int, accuracy: Double, loss: Double, loss_paper_scaled: Double
                let confusion: [[Int]], per_class_accuracy: [Double?]
                let misclassified: [Classification.Mistake]?
            }
            let o = Output(split: split.rawValue, count: e.count, accuracy: e.accuracy, loss: e.loss, loss_paper_scaled: e.paperScaledLoss,
                           confusion: classification.confusion, per_class_accuracy: classification.perClassAccuracy,
                           misclassified: misclassified > 0 ? mistakes : nil)
            print(String(decoding: try JSONFormat.encode(o), as: UTF8.self))
        } else {
            print(String(format: "%@ on %@ (%d images): accuracy %.2f%%, loss %.6f, paper-scaled loss %.6f",
                         config.model.rawValue, split.rawValue, e.count, 100 * e.accuracy, e.loss, e.paperScaledLoss))
            print("")
            print("confusion (rows: true digit, columns: predicted), and accuracy per digit:")
            print("      " + (0..<classification.confusion.count).map { String(format: "%5d", $0) }.joined() + "   accuracy")
            for (digit, row) in classification.confusion.enumerated() {
                let accuracy = classification.perClassAccuracy[digit].map { String(format: "%8.2f%%", 100 * $0) } ?? "       –"
                print(String(format: "%5d ", digit) + row.map { String(format: "%5d", $0) }.joined() + "  " + accuracy)
            }
            if !mistakes.isEmpty {
                print("")
                print("the \(mistakes.count) most confident mistakes:")
                print("  index  label  predicted  probability")
                for m in mistakes { print(String(format: "  %5d  %5d  %9d  %11.4f", m.index, m.label, m.prediction, m.probability)) }
            }
        }
    }
}
