import ArgumentParser
import Foundation
import StatNet

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Loss and accuracy of a trained model on the test or validation split.")

    enum Split: String, ExpressibleByArgument, CaseIterable { case test, validation }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Run folder holding model.safetensors (or the file itself).", valueName: "DIR"))
    var checkpoint: String
    @Option(help: "test, or validation (the run's own seeded 5,000 images).")
    var split: Split = .test
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let threads = threadOptions.threads
        let model = try TrainedModel(folder: checkpoint, threads: threads)
        let mnist = try MNIST.load(directory: dataOptions.directory)
        let config = model.config
        let (source, indices): (MNISTSplit, [Int])
        switch split {
        case .test: (source, indices) = (mnist.test, Array(0..<mnist.test.count))
        case .validation:
            let s = try DatasetSplit(poolSize: mnist.train.count, validationSize: config.validationSize, trainSize: config.trainSize, seed: config.seed)
            (source, indices) = (mnist.train, s.validation)
        }
        let e = model.evaluate(indices: indices, of: source, threads: threads)
        if output.json {
            print(#"{"split":"\#(split.rawValue)","count":\#(e.count),"accuracy":\#(e.accuracy),"loss":\#(e.loss),"loss_paper_scaled":\#(e.paperScaledLoss)}"#)
        } else {
            print(String(format: "%@ on %@ (%d images): accuracy %.4f, loss %.6f, paper-scaled loss %.6f",
                         config.model.rawValue, split.rawValue, e.count, e.accuracy, e.loss, e.paperScaledLoss))
        }
    }
}
