import Foundation

/// Starting, resuming, repairing or skipping a run in its folder: what `statnet train` and
/// the experiment runner both do. The folder is locked for the whole call, so two processes
/// never write one folder; a folder that is not a run folder is never written into; a run is
/// finished only when `result.json` is there, and it is written after the model.
public enum RunFolder {
    /// What to do with a folder that already holds a run.
    public enum Mode: Sendable {
        /// Start a run; refuse a folder that holds one.
        case new
        /// Continue the run in the folder (or start one in an empty folder).
        case resume
        /// Delete the run in the folder and start again.
        case overwrite
    }

    /// The files this tool writes into a run folder (a user's other files make it foreign).
    static let ownFiles: Set<String> = [RunFiles.config, RunFiles.trainLog, RunFiles.epochs, RunFiles.result,
                                        RunFiles.model, RunFiles.state, RunFiles.spec, RunFiles.outputs, RunFiles.curves, FolderLock.fileName]

    /// The result in `directory` if it holds this run finished: `result.json` for the same
    /// settings and number of epochs, beside its model.
    public static func finishedResult(in directory: String, config: TrainingConfig) -> TrainingResult? {
        guard FileManager.default.fileExists(atPath: Path.join(directory, RunFiles.model)),
              let result = try? JSONFormat.read(TrainingResult.self, at: Path.join(directory, RunFiles.result)),
              result.epochs == config.epochs,
              let info = try? JSONFormat.read(RunInfo.self, at: Path.join(directory, RunFiles.config)),
              info.config.identity == config.identity
        else { return nil }
        return result
    }

    /// The settings of the run in `directory` (its `config.json`), if it holds one: what
    /// `train --resume` continues with when no option says otherwise.
    public static func savedConfig(in directory: String) -> TrainingConfig? {
        (try? JSONFormat.read(RunInfo.self, at: Path.join(directory, RunFiles.config)))?.config
    }

    /// Trains `config` into `out` as `mode` says. A finished run is returned as it is when
    /// resuming; `data` is called only when training is needed. `shouldStop` is asked between
    /// batches (see `Trainer.shouldStop`).
    public static func train(config: TrainingConfig, out: String, mode: Mode, data: () throws -> MNIST,
                             observers: [TrainingObserver], shouldStop: @escaping () -> Bool = { false }) throws -> TrainingResult {
        // Settings that cannot work are refused before anything is written (the data set's
        // training file always holds MNIST's 60,000 images; the trainer checks again).
        try config.validate(trainingImages: MNISTSplit.trainingImageCount)
        try requireRunFolderOrEmpty(out)   // before the lock file: never write into someone else's folder
        let created = !FileManager.default.fileExists(atPath: out)
        let lock = try FolderLock(folder: out)
        defer { withExtendedLifetime(lock) {} }
        do {
            return try trainLocked(config: config, out: out, mode: mode, data: data, observers: observers, shouldStop: shouldStop)
        } catch {
            // A folder this call made and that holds nothing but its lock (the data could not be
            // read, say) is removed, so a failed first try leaves nothing to be refused later.
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            if created, names.allSatisfy(FolderLock.isLockFile) {
                for name in names { unlink(Path.join(out, name)) }
                rmdir(out)
            }
            throw error
        }
    }

    /// `train` once the folder is checked and locked.
    private static func trainLocked(config: TrainingConfig, out: String, mode: Mode, data: () throws -> MNIST,
                                    observers: [TrainingObserver], shouldStop: @escaping () -> Bool) throws -> TrainingResult {
        try requireRunFolderOrEmpty(out)   // again, now that no other process can change it
        AtomicFile.removeStalePartials(in: out)
        if mode == .overwrite {
            for name in ownFiles.subtracting([FolderLock.fileName, RunFiles.spec]) { unlink(Path.join(out, name)) }
        }
        let statePath = Path.join(out, RunFiles.state)
        let state = FileManager.default.fileExists(atPath: statePath) ? try Checkpoint.loadState(from: statePath) : nil
        if let result = finishedResult(in: out, config: config) {
            guard mode == .resume else {
                throw RunFolderError.holdsRun(folder: out, completed: config.epochs, total: config.epochs)
            }
            if state == nil || state?.completedEpochs == config.epochs { return result }
        }
        if let state, mode == .new {
            throw RunFolderError.holdsRun(folder: out, completed: state.completedEpochs, total: state.config.epochs)
        }
        if state == nil, [RunFiles.model, RunFiles.result].contains(where: { FileManager.default.fileExists(atPath: Path.join(out, $0)) }) {
            throw RunFolderError.noStateToResume(folder: out)
        }
        unlink(Path.join(out, RunFiles.result))   // an older result (fewer epochs) must not stand beside a run in progress
        let mnist = try data()
        let completed = state?.completedEpochs ?? 0
        let trainer = try Trainer(config: config, data: mnist,
                                  observers: [try MetricsLog(directory: out, completedEpochs: completed)] + observers,
                                  checkpointDirectory: out)
        trainer.shouldStop = shouldStop
        if let state {
            try trainer.restore(state, file: statePath)
            try repairModel(of: trainer, in: out)
        }
        return try trainer.run()
    }

    /// Refuses an existing folder that is neither empty (lock files and leftover temporary files
    /// aside) nor one of this tool's run folders.
    static func requireRunFolderOrEmpty(_ out: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw RunFolderError.notARunFolder(folder: out, examples: ["(it is a file)"]) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
            .filter { !FolderLock.isLockFile($0) && !($0.hasPrefix(".") && $0.hasSuffix(AtomicFile.partialSuffix)) }
        if !names.isEmpty, !isRunFolder(out) {
            let foreign = names.filter { !ownFiles.contains($0) }
            throw RunFolderError.notARunFolder(folder: out, examples: Array((foreign.isEmpty ? names : foreign).sorted().prefix(3)))
        }
    }

    /// A folder this tool made: it holds a run's configuration or state.
    static func isRunFolder(_ directory: String) -> Bool {
        if FileManager.default.fileExists(atPath: Path.join(directory, RunFiles.state)) { return true }
        guard FileManager.default.fileExists(atPath: Path.join(directory, RunFiles.config)) else {
            return FileManager.default.fileExists(atPath: Path.join(directory, RunFiles.spec))
        }
        return (try? JSONFormat.read(RunInfo.self, at: Path.join(directory, RunFiles.config))) != nil
    }

    /// After a stop between the two checkpoint writes the model is missing or one epoch
    /// behind the state: write it again from the restored state.
    static func repairModel(of trainer: Trainer, in directory: String) throws {
        guard trainer.completedEpochs > 0 else { return }
        let model = try? Checkpoint.loadModel(from: Path.join(directory, RunFiles.model))
        if model?.completedEpochs != trainer.completedEpochs || model?.parameters != trainer.step.parameters {
            try RunCheckpointer(directory: directory).saveModel(of: trainer)
        }
    }
}
