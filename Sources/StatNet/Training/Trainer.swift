import Foundation

/// The training loop of EXPERIMENTS.md: seeded split, batches of 64 reshuffled every epoch,
/// features computed per batch, validation after every epoch, test at the end. It emits
/// `TrainingEvent`s; logs and progress are observers. With a `checkpointer` it hands over its
/// resumable state after every epoch and its result last, once the model is saved (a run
/// folder's files, `RunCheckpointer`). The same seed and data give the same numbers, to the
/// bit, whatever the thread count.
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
    public let checkpointer: (any TrainingCheckpointer)?
    /// Asked between batches; when it returns true the run stops at the next safe point (after
    /// the current batch) with `TrainingError.interrupted`, its last checkpoint intact.
    public var shouldStop: () -> Bool = { false }
    var batch: FeatureBatch<Float>

    /// Prepares a run: the split, the normaliser fitted on the training part, fresh parameters.
    /// Nothing global changes here (see `TrainingEnvironment`).
    /// - Parameters:
    ///   - stepKind: the fused step (the default) or the reference one; both give the same bits.
    public init(config: TrainingConfig, data: MNIST, observers: [TrainingObserver] = [], checkpointer: (any TrainingCheckpointer)? = nil,
                stepKind: TrainingStepKind = .fused) throws {
        try config.validate(trainingImages: data.train.count)
        self.config = config
        self.data = data
        self.observers = observers
        self.checkpointer = checkpointer
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

    /// Continues a run from its saved state: parameters, the optimiser's moments and step, the
    /// generators, and the epochs already done (at most `config.epochs`).
    public func resume(parameters: [Float], optimiser: Adam<Float>, dropoutGenerators: [SplitMix64], samplerState: UInt64, completedEpochs: Int) {
        precondition((0...config.epochs).contains(completedEpochs), "0...\(config.epochs) epochs done")
        step.restore(parameters: parameters, optimiser: optimiser, dropoutGenerators: dropoutGenerators)
        sampler.rng = SplitMix64(seed: samplerState)
        self.completedEpochs = completedEpochs
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
        var validation: (evaluation: Evaluation, logits: [Float])?   // of the last epoch trained
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
                    throw TrainingError.nonFiniteLoss(epoch: epoch, batch: b + 1, lastCheckpointEpoch: checkpointer == nil ? 0 : completedEpochs)
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
            let (epochValidation, validationLogits) = evaluateWithLogits(indices: split.validation, of: data.train)
            validation = (epochValidation, validationLogits)
            completedEpochs = epoch
            try emit(.epochEnded(EpochSummary(epoch: epoch, trainLoss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(seen),
                                              validationLoss: epochValidation.loss, validationAccuracy: epochValidation.accuracy,
                                              seconds: MonotonicClock.seconds(since: epochStart))))
            try checkpointer?.saveCheckpoint(of: self)
        }
        let trainSeconds = MonotonicClock.seconds(since: trainStart)
        let evaluationStart = MonotonicClock.now
        let (finalValidation, validationLogits) = validation ?? evaluateWithLogits(indices: split.validation, of: data.train)  // nil: resumed a finished run
        let testIndices = Array(0..<data.test.count)
        let (test, testLogits) = evaluateWithLogits(indices: testIndices, of: data.test)
        let result = TrainingResult(testAccuracy: test.accuracy, testLoss: test.loss, testLossPaperScaled: test.paperScaledLoss,
                                    testCount: test.count, validationAccuracy: finalValidation.accuracy, validationLoss: finalValidation.loss,
                                    epochs: config.epochs, trainSeconds: trainSeconds,
                                    evaluationSeconds: MonotonicClock.seconds(since: evaluationStart),
                                    imagesPerSecond: Double(imagesThisSession) / max(trainSeconds, 1e-9))
        // Last, after the model of the final epoch is saved: a run folder with a result always
        // holds the model the result belongs to.
        let outputs = RunOutputs(classCount: network.architecture.shape.classCount,
                                 validationLogits: validationLogits, validationLabels: split.validation.map { data.train.labels[$0] },
                                 testLogits: testLogits, testLabels: data.test.labels)
        try checkpointer?.saveResult(result, outputs: outputs)
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
    /// `evaluate`, and the logits of every image in order, `[indices.count][classes]`.
    public func evaluateWithLogits(indices: [Int], of split: MNISTSplit) -> (Evaluation, [Float]) {
        var logits: [Float] = []
        logits.reserveCapacity(indices.count * network.architecture.shape.classCount)
        let evaluation = Evaluation.measure(indices: indices, of: split, pipeline: pipeline, architecture: network.architecture,
                                            batchSize: config.batchSize, threads: config.threads) { batch in
            let loss = step.evaluate(batch: batch)
            logits += network.logits
            return loss
        }
        return (evaluation, logits)
    }

    public func evaluate(indices: [Int], of split: MNISTSplit) -> Evaluation {
        Evaluation.measure(indices: indices, of: split, pipeline: pipeline, architecture: network.architecture, batchSize: config.batchSize,
                           threads: config.threads, evaluate: step.evaluate)
    }
}
