/// A trainer's checkpoints and result as a run folder's files, each written atomically and
/// flushed to the disk: after every epoch `state.safetensors` first (what a resume reads), then
/// `model.safetensors`; at the end `result.json`. A stop between the two checkpoint writes
/// leaves an older or no model beside a newer state; `RunFolder` repairs that on resume, from
/// the state.
public struct RunCheckpointer: TrainingCheckpointer {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public func saveCheckpoint(of trainer: Trainer) throws {
        let adam = trainer.step.optimiser
        try Checkpoint.saveState(Checkpoint.State(config: trainer.config, completedEpochs: trainer.completedEpochs,
                                                  parameters: trainer.step.parameters, adamStep: adam.step, adamM: adam.m, adamV: adam.v,
                                                  samplerState: trainer.sampler.rng.state,
                                                  dropoutStates: trainer.step.dropoutGenerators.map(\.state)),
                                 to: Path.join(directory, RunFiles.state))
        try saveModel(of: trainer)
    }

    /// `model.safetensors` of the trainer's current parameters.
    public func saveModel(of trainer: Trainer) throws {
        try Checkpoint.saveModel(Checkpoint.Model(config: trainer.config, architecture: trainer.network.architecture,
                                                  parameters: trainer.step.parameters, normaliser: trainer.pipeline.normaliser,
                                                  completedEpochs: trainer.completedEpochs),
                                 to: Path.join(directory, RunFiles.model))
    }

    /// `outputs.safetensors`, then `result.json` (last: a result always stands beside its outputs).
    public func saveResult(_ result: TrainingResult, outputs: RunOutputs) throws {
        try RunOutputsFile.write(outputs, to: Path.join(directory, RunFiles.outputs))
        try AtomicFile.writeJSON(result, to: Path.join(directory, RunFiles.result))
    }
}

extension Trainer {
    /// A trainer whose checkpoints and result go into the run folder `checkpointDirectory`
    /// (none when nil); see `RunCheckpointer`.
    public convenience init(config: TrainingConfig, data: MNIST, observers: [TrainingObserver] = [], checkpointDirectory: String?,
                            stepKind: TrainingStepKind = .fused) throws {
        try self.init(config: config, data: data, observers: observers, checkpointer: checkpointDirectory.map(RunCheckpointer.init),
                      stepKind: stepKind)
    }

    /// Continues from `state.safetensors` (read from `file`); its configuration must be this
    /// run's (the number of epochs may differ: a finished run can be extended; the thread count
    /// may differ, as it changes no number).
    public func restore(_ state: Checkpoint.State, file: String) throws {
        guard state.config.identity == config.identity else {
            throw CheckpointError.otherSettings(path: file, differences: state.config.differences(from: config))
        }
        guard state.completedEpochs <= config.epochs else {
            throw CheckpointError.tooManyEpochs(path: file, completed: state.completedEpochs, asked: config.epochs)
        }
        var adam = Adam<Float>(parameterCount: 0, learningRate: config.learningRate)
        adam.m = state.adamM
        adam.v = state.adamV
        adam.step = state.adamStep
        resume(parameters: state.parameters, optimiser: adam, dropoutGenerators: state.dropoutStates.map { SplitMix64(seed: $0) },
               samplerState: state.samplerState, completedEpochs: state.completedEpochs)
    }
}
