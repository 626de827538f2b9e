import ArgumentParser
import Foundation
import StatNet

/// A trained model read back from a run folder, ready to evaluate or predict.
struct LoadedModel {
    let model: Checkpoint.Model
    let learner: Learner<Float>
    let pipeline: FeaturePipeline

    init(checkpoint directory: String, threads: Int, batch: Int? = nil) throws {
        model = try Checkpoint.loadModel(from: (directory as NSString).appendingPathComponent(Checkpoint.modelFile))
        BLAS.setThreads(1)
        learner = Learner(network: model.network, parameters: model.parameters, adam: Adam(parameterCount: 0),
                          batchCapacity: batch ?? model.config.batchSize, threads: threads, dropoutSeed: 0)
        pipeline = FeaturePipeline(extractor: FeatureExtractor(variant: model.config.features), normaliser: model.normaliser)
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Loss and accuracy of a trained model on the test or validation split.")

    enum Split: String, ExpressibleByArgument { case test, validation }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Run folder holding model.safetensors.", valueName: "DIR"))
    var checkpoint: String
    @Option(help: "test, or validation (the run's own seeded 5,000 images).")
    var split: Split = .test
    @OptionGroup var threadOptions: ThreadOptions
    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let threads = threadOptions.threads
        let loaded = try LoadedModel(checkpoint: checkpoint, threads: threads)
        let mnist = try MNIST.load(directory: dataOptions.directory)
        let config = loaded.model.config
        let (source, indices): (MNISTSplit, [Int])
        switch split {
        case .test: (source, indices) = (mnist.test, Array(0..<mnist.test.count))
        case .validation:
            let s = try DatasetSplit(poolSize: mnist.train.count, validationSize: config.validationSize, trainSize: config.trainSize, seed: config.seed)
            (source, indices) = (mnist.train, s.validation)
        }
        let e = Trainer.evaluate(learner: loaded.learner, pipeline: loaded.pipeline, indices: indices, of: source,
                                 batchSize: config.batchSize, threads: threads)
        if json {
            print(#"{"split":"\#(split.rawValue)","count":\#(e.count),"accuracy":\#(e.accuracy),"loss":\#(e.loss),"loss_paper_scaled":\#(e.paperScaledLoss)}"#)
        } else {
            print(String(format: "%@ on %@ (%d images): accuracy %.4f, loss %.6f, paper-scaled loss %.6f",
                         config.model.rawValue, split.rawValue, e.count, e.accuracy, e.loss, e.paperScaledLoss))
        }
    }

}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Classify a 28x28 8-bit PGM image with a trained model.")

    @Option(help: ArgumentHelp("Run folder holding model.safetensors.", valueName: "DIR"))
    var checkpoint: String
    @Argument(help: ArgumentHelp("The image (binary P5 or plain P2 PGM, 28x28, white digit on black as in MNIST).", valueName: "IMAGE.pgm"))
    var image: String
    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let pixels = try PGMImage.read(path: image)
        let loaded = try LoadedModel(checkpoint: checkpoint, threads: 1, batch: 1)
        var features = [Float](repeating: 0, count: 4 * 784)
        pixels.withUnsafeBufferPointer { px in
            [0].withUnsafeBufferPointer { idx in
                features.withUnsafeMutableBufferPointer { loaded.pipeline.compute(pixels: px, indices: idx, into: $0, threads: 1) }
            }
        }
        _ = features.withUnsafeBufferPointer { f in [UInt8(0)].withUnsafeBufferPointer { loaded.learner.evaluate(features: f.baseAddress!, labels: $0.baseAddress!, batch: 1) } }
        let logits = Array(UnsafeBufferPointer(start: loaded.learner.workspace.logits, count: 10))
        let probabilities = SoftmaxCrossEntropy.probabilities(logits)
        let digit = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        if json {
            print(#"{"digit":\#(digit),"probabilities":[\#(probabilities.map { String(format: "%.6f", $0) }.joined(separator: ","))]}"#)
        } else {
            print("digit \(digit)")
            for (d, p) in probabilities.enumerated() { print(String(format: "  %d  %.4f", d, p)) }
        }
    }
}
