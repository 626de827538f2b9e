import Foundation

/// A trained model read back from a run folder, ready to evaluate or classify images: the
/// checkpoint, its feature pipeline (variant and normaliser) and a network to run it.
/// One evaluation at a time: the buffers are reused (wrap it in a lock to share it).
public final class TrainedModel {
    public let checkpoint: Checkpoint.Model
    public let pipeline: FeaturePipeline
    public let folder: String
    private let network: FourBranchNetwork<Float>
    private var batch: FeatureBatch<Float>

    public var config: TrainingConfig { checkpoint.config }

    /// Loads `model.safetensors` from the run folder `folder` (or that file itself).
    /// - Parameters:
    ///   - folder: a run folder, or the path of its `model.safetensors`.
    ///   - batchCapacity: images per forward pass (default: the run's batch size).
    ///   - threads: cores to spread the branches over.
    public init(folder: String, batchCapacity: Int? = nil, threads: Int = 1) throws {
        let path = folder.hasSuffix(".safetensors") ? folder : Path.join(folder, RunFiles.model)
        if !FileManager.default.fileExists(atPath: path) {
            // A reproduction folder given for one of its runs: name the runs that have a model.
            let runs = Path.join(folder, RunFiles.reproductionRuns)
            let withModels = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted()
                .filter { FileManager.default.fileExists(atPath: Path.join(Path.join(runs, $0), RunFiles.model)) }
            if !withModels.isEmpty { throw CheckpointError.reproductionFolder(path: folder, runs: withModels) }
        }
        checkpoint = try Checkpoint.loadModel(from: path)
        self.folder = folder.hasSuffix(".safetensors") ? (folder as NSString).deletingLastPathComponent : folder
        let capacity = batchCapacity ?? checkpoint.config.batchSize
        network = FourBranchNetwork(architecture: checkpoint.architecture, parameters: checkpoint.parameters, batchCapacity: capacity,
                                    threads: threads, normalisation: InputNormalisation(checkpoint.normaliser))
        pipeline = FeaturePipeline(extractor: FeatureExtractor(variant: checkpoint.config.features), normaliser: checkpoint.normaliser)
        batch = FeatureBatch(capacity: capacity)
    }

    /// Loss and accuracy on images `indices` of `split` (in batches of the run's batch size,
    /// which the paper-scaled loss refers to). Throws `StopRequest.Stopped` between batches
    /// once a stop is asked for.
    public func evaluate(indices: [Int], of split: MNISTSplit, threads: Int) throws -> Evaluation {
        try Evaluation.measure(indices: indices, of: split, pipeline: pipeline, architecture: network.architecture, batchSize: config.batchSize,
                               threads: threads) { batch in
            try StopRequest.check()
            return network.forward(batch: batch, training: false)
        }
    }

    /// The ten class probabilities of images `indices` of `split`, in batches of the network's
    /// capacity (the features computed as in training). Throws `StopRequest.Stopped` between
    /// batches once a stop is asked for.
    public func probabilities(indices: [Int], of split: MNISTSplit, threads: Int = 1) throws -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(indices.count)
        try TrainingEnvironment.run {
            for start in stride(from: 0, to: indices.count, by: network.batchCapacity) {
                try StopRequest.check()
                let rows = indices[start..<min(start + network.batchCapacity, indices.count)]
                batch.fill(rows, from: split, pipeline: pipeline, runningChannels: network.architecture.readsRunningChannels, threads: threads)
                network.forward(batch: batch, training: false)
                for r in 0..<rows.count { out.append(SoftmaxCrossEntropy.probabilities(network.logits(ofImage: r))) }
            }
        }
        return out
    }

    /// The ten class probabilities of each 28x28 image (row by row, 0 = background), in
    /// batches of the network's capacity.
    public func probabilities(of images: [[UInt8]]) throws -> [[Float]] {
        let d = checkpoint.architecture.shape.inputCount
        precondition(images.allSatisfy { $0.count == d }, "each image has \(d) pixels")
        let split = MNISTSplit(pixels: images.flatMap { $0 }, labels: [UInt8](repeating: 0, count: images.count))
        return try probabilities(indices: Array(0..<images.count), of: split, threads: network.threads)
    }

    /// The ten class probabilities of each image of `batch`, whose raw features (of this model's
    /// variant, before normalisation) someone already computed: for showing the features and
    /// both models' answers without computing the features again.
    public func probabilities(ofFeatures batch: FeatureBatch<Float>) -> [[Float]] {
        precondition(batch.count <= network.batchCapacity, "at most \(network.batchCapacity) images")
        return TrainingEnvironment.run {
            network.forward(batch: batch, training: false)
            return (0..<batch.count).map { SoftmaxCrossEntropy.probabilities(network.logits(ofImage: $0)) }
        }
    }
}
