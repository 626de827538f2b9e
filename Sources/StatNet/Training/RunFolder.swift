import Foundation

/// Starting, resuming or skipping a run in its folder: what `statnet train` and the
/// experiment runner both do.
public enum RunFolder {
    public static let resultFile = "result.json"

    /// The finished result in `directory`, if it holds one for `epochs` epochs.
    public static func finishedResult(in directory: String, epochs: Int) -> TrainingResult? {
        let path = (directory as NSString).appendingPathComponent(resultFile)
        guard let data = FileManager.default.contents(atPath: path),
              let result = try? JSONDecoder().decode(TrainingResult.self, from: data), result.epochs == epochs else { return nil }
        return result
    }

    /// Trains `config` into `out`. A folder with a checkpoint is continued only with `resume`
    /// (else a clear error, so nothing is overwritten); a finished run is returned as it is.
    /// `data` is called only when training is needed.
    public static func train(config: TrainingConfig, out: String, resume: Bool, data: () throws -> MNIST,
                             observers: [TrainingObserver]) throws -> TrainingResult {
        let statePath = (out as NSString).appendingPathComponent(Checkpoint.stateFile)
        let state = FileManager.default.fileExists(atPath: statePath) ? try Checkpoint.loadState(from: statePath) : nil
        if let state, !resume {
            throw ConfigurationError("\(out) already holds a run (\(state.completedEpochs) of \(state.config.epochs) epochs done); "
                                     + "pass --resume to continue it, or choose another --out")
        }
        if let state, state.completedEpochs == config.epochs, state.config == config,
           let result = finishedResult(in: out, epochs: config.epochs) {
            return result
        }
        let trainer = try Trainer(config: config, data: try data())
        if let state { try trainer.restore(state, file: statePath) }
        trainer.checkpointDirectory = out
        trainer.observers = [try MetricsLog(directory: out, completedEpochs: trainer.completedEpochs)] + observers
        return try trainer.run()
    }
}
