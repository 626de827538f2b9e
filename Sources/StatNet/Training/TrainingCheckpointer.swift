/// Where a trainer keeps what must survive it: its resumable state after every epoch, and its
/// result at the end, handed over after the last checkpoint (so whoever writes them can make a
/// result always stand beside its model). `RunCheckpointer` writes a run folder's files.
public protocol TrainingCheckpointer {
    /// The trainer's state after an epoch: `trainer.step`, `trainer.sampler`, `completedEpochs`.
    func saveCheckpoint(of trainer: Trainer) throws
    /// The finished run's result and its per-image outputs, after its last checkpoint.
    func saveResult(_ result: TrainingResult, outputs: RunOutputs) throws
}
