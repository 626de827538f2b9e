import Foundation

/// The training loop of EXPERIMENTS.md: seeded split, batches of 64 reshuffled every epoch,
/// features computed per batch, validation after every epoch, test at the end. It emits
/// `TrainingEvent`s; logs and progress are observers. With a checkpoint folder it writes
/// `state.safetensors` and `model.safetensors` after every epoch, and `result.json` last,
/// once the model is on the disk (see `saveCheckpoint`). The same seed and data give the
/// same numbers, to the bit, whatever the thread count.
public final class Trainer {
    public let config: TrainingConfig
    public let data: MNIST
    public let split: DatasetSplit
    public let pipeline: FeaturePipeline
    /// The network being trained (its parameters, activations and choices).
    public let network: FourBranchNetwork<Float>
    /// What takes each step: `FusedTrainingStep` unless the reference was asked for.
    public let step: any TrainingStep
    public private(set) var sampler: BatchSampler
    /// Epochs finished so far.
    public private(set) var completedEpochs = 0
    public let observers: [TrainingObserver]
    /// Where checkpoints and the result go (none when nil).
    public let checkpointDirectory: String?
    /// Asked between batches; when it returns true the run stops at the next safe point (after
    /// the current batch) with `TrainingError.interrupted`, its last checkpoint intact.
    public var shouldStop: () -> Bool = { false }
    var batch: FeatureBatch<Float>

    /// Prepares a run: the split, the normaliser fitted on the training part, fresh parameters.
    /// Nothing global changes here (see `TrainingEnvironment`).
    /// - Parameters:
    ///   - stepKind: the fused step (the default) or the reference one; both give the same bits.
    public init(config: TrainingConfig, data: MNIST, observers: [TrainingObserver] = [], checkpointDirectory: String? = nil,
                stepKind: TrainingStepKind = .fused) throws {
        try config.validate(trainingImages: data.train.count)
        self.config = config
        self.data = data
        self.observers = observers
        self.checkpointDirectory = checkpointDirectory
        split = try DatasetSplit(poolSize: data.train.count, validationSize: config.validationSize,
                                 trainSize: config.trainSize, seed: config.seed)
        let extractor = FeatureExtractor(variant: config.features)
        pipeline = FeaturePipeline(extractor: extractor,
                                   normaliser: Normaliser.fit(mode: config.normalisation, extractor: extractor,
                                                              pixels: data.train.pixels, indices: split.train))
        let architecture = config.architecture
        network = FourBranchNetwork(architecture: architecture, parameters: architecture.initialParameters(seed: config.initialisationSeed),
                                    batchCapacity: config.batchSize, threads: config.threads, dropoutSeed: config.dropoutSeed,
                                    normalisation: InputNormalisation(pipeline.normaliser))
        step = stepKind.makeStep(network: network, optimiser: Adam(parameterCount: architecture.parameterCount, learningRate: config.learningRate))
        sampler = BatchSampler(indices: split.train, batchSize: config.batchSize, seed: config.samplerSeed)
        batch = FeatureBatch(capacity: config.batchSize)
    }

    /// Continues from `state.safetensors`; its configuration must be this run's (the number of
    /// epochs may differ: a finished run can be extended; the thread count may differ, as it
    /// changes no number).
    public func restore(_ state: Checkpoint.State, file: String) throws {
        guard state.config.identity == config.identity else {
            throw CheckpointError.otherSettings(path: file, found: Checkpoint.configJSON(state.config), expected: Checkpoint.configJSON(config))
        }
        guard state.completedEpochs <= config.epochs else {
            throw CheckpointError.tooManyEpochs(path: file, completed: state.completedEpochs, asked: config.epochs)
        }
        var adam = Adam<Float>(parameterCount: 0, learningRate: config.learningRate)
        adam.m = state.adamM
        adam.v = state.adamV
        adam.step = state.adamStep
        step.restore(parameters: state.parameters, optimiser: adam, dropoutGenerators: state.dropoutStates.map { SplitMix64(seed: $0) })
        sampler.rng = SplitMix64(seed: state.samplerState)
        completedEpochs = state.completedEpochs
    }

    private func emit(_ event: TrainingEvent) throws {
        for observer in observers { try observer.handle(event) }
    }

    /// Trains the remaining epochs, then evaluates on the test set.
    @discardableResult
    public func run() throws -> TrainingResult {
        try TrainingEnvironment.run { try runEpochs() }
    }

    private func runEpochs() throws -> TrainingResult {
        let batches = sampler.batchesPerEpoch
        try emit(.started(config: config, completedEpochs: completedEpochs, batchesPerEpoch: batches))
        let trainStart = MonotonicClock.now
        var imagesThisSession = 0
        var validation: Evaluation?   // of the last epoch trained
        while completedEpochs < config.epochs {
            let epoch = completedEpochs + 1
            let epochStart = MonotonicClock.now
            let order = sampler.epochOrder()
            var lossSum = 0.0, correct = 0, seen = 0
            for b in 0..<batches {
                if shouldStop() { throw TrainingError.interrupted(afterEpoch: completedEpochs) }
                let indices = sampler.batch(b, of: order)
                let result = trainBatch(indices)
                guard result.lossSum.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, batch: b + 1, lastCheckpointEpoch: checkpointDirectory == nil ? 0 : completedEpochs)
                }
                lossSum += result.lossSum
                correct += result.correct
                seen += indices.count
                imagesThisSession += indices.count
                let speed = Double(imagesThisSession) / max(MonotonicClock.seconds(since: trainStart), 1e-9)
                let imagesLeft = (config.epochs - epoch) * split.train.count + (split.train.count - seen)
                try emit(.batchEnded(BatchProgress(epoch: epoch, epochs: config.epochs, batch: b + 1, batchesPerEpoch: batches,
                                                   runningLoss: lossSum / Double(seen), runningAccuracy: Double(correct) / Double(seen),
                                                   imagesPerSecond: speed, secondsLeft: Double(imagesLeft) / speed)))
                if (b + 1) % config.logEvery == 0 || b + 1 == batches {
                    try emit(.logged(TrainLogRow(epoch: epoch, batch: b + 1, seen: (epoch - 1) * split.train.count + seen,
                                                 trainLoss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(seen))))
                }
            }
            let epochValidation = evaluate(indices: split.validation, of: data.train)
            validation = epochValidation
            completedEpochs = epoch
            try emit(.epochEnded(EpochSummary(epoch: epoch, trainLoss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(seen),
                                              validationLoss: epochValidation.loss, validationAccuracy: epochValidation.accuracy,
                                              seconds: MonotonicClock.seconds(since: epochStart))))
            if let checkpointDirectory { try saveCheckpoint(in: checkpointDirectory) }
        }
        let trainSeconds = MonotonicClock.seconds(since: trainStart)
        let evaluationStart = MonotonicClock.now
        let finalValidation = validation ?? evaluate(indices: split.validation, of: data.train)  // nil: resumed a finished run
        let test = evaluate(indices: Array(0..<data.test.count), of: data.test)
        let result = TrainingResult(testAccuracy: test.accuracy, testLoss: test.loss, testLossPaperScaled: test.paperScaledLoss,
                                    testCount: test.count, validationAccuracy: finalValidation.accuracy, validationLoss: finalValidation.loss,
                                    epochs: config.epochs, trainSeconds: trainSeconds,
                                    evaluationSeconds: MonotonicClock.seconds(since: evaluationStart),
                                    imagesPerSecond: Double(imagesThisSession) / max(trainSeconds, 1e-9))
        if let checkpointDirectory {
            // Last, after the model of the final epoch is on the disk: a run folder with a
            // result always holds the model the result belongs to.
            try AtomicFile.writeJSON(result, to: RunFiles.path(RunFiles.result, in: checkpointDirectory))
        }
        try emit(.finished(result))
        return result
    }

    /// One training step on the training images `indices`, features computed on the fly.
    @discardableResult
    public func trainBatch(_ indices: ArraySlice<Int>) -> BatchLoss {
        fillBatch(indices)
        return step.step(batch: batch)
    }

    /// The features and labels of training images `indices` into the batch buffer.
    func fillBatch(_ indices: ArraySlice<Int>) {
        batch.fill(indices, from: data.train, pipeline: pipeline, runningChannels: network.architecture.readsRunningChannels, threads: config.threads)
    }

    /// Loss and accuracy of the current parameters on `indices` of `split`, without dropout,
    /// in batches of the training batch size (which the paper-scaled loss refers to).
    public func evaluate(indices: [Int], of split: MNISTSplit) -> Evaluation {
        Evaluation.measure(indices: indices, of: split, pipeline: pipeline, architecture: network.architecture, batchSize: config.batchSize,
                           threads: config.threads, evaluate: step.evaluate)
    }

    /// The two checkpoint files of the epoch just finished, each written atomically and
    /// flushed to the disk: `state.safetensors` first (what a resume reads), then
    /// `model.safetensors`. A stop between the two leaves an older or no model beside a newer
    /// state; `RunFolder` repairs that on resume, from the state.
    public func saveCheckpoint(in directory: String) throws {
        let adam = step.optimiser
        try Checkpoint.saveState(Checkpoint.State(config: config, completedEpochs: completedEpochs, parameters: step.parameters,
                                                  adamStep: adam.step, adamM: adam.m, adamV: adam.v,
                                                  samplerState: sampler.rng.state,
                                                  dropoutStates: step.dropoutGenerators.map(\.state)),
                                 to: RunFiles.path(RunFiles.state, in: directory))
        try saveModel(in: directory)
    }

    /// `model.safetensors` of the current parameters.
    public func saveModel(in directory: String) throws {
        try Checkpoint.saveModel(Checkpoint.Model(config: config, architecture: network.architecture, parameters: step.parameters,
                                                  normaliser: pipeline.normaliser, completedEpochs: completedEpochs),
                                 to: RunFiles.path(RunFiles.model, in: directory))
    }
}
