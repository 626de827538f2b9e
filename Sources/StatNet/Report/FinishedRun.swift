import Foundation

/// A finished run of a reproduction, read back from its folder: its plan entry, its result
/// (never missing: unfinished runs are not `FinishedRun`s), its logs and the machine it ran on.
public struct FinishedRun: Sendable {
    public let spec: RunSpec
    public let result: TrainingResult
    public let trainLog: [TrainLogRow]
    public let epochs: [EpochSummary]
    public let info: RunInfo?

    public init(spec: RunSpec, result: TrainingResult, trainLog: [TrainLogRow], epochs: [EpochSummary], info: RunInfo?) {
        self.spec = spec
        self.result = result
        self.trainLog = trainLog
        self.epochs = epochs
        self.info = info
    }

    /// The finished runs under `directory/runs`, sorted by id (folders without a spec, or
    /// without a result for their number of epochs, are left out).
    public static func load(from directory: String) -> [FinishedRun] {
        let runs = Path.join(directory, ReproductionFiles.runs)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted()
        return names.compactMap { load(run: Path.join(runs, $0)) }
    }

    /// The finished run in the run folder `dir`, if it is one.
    public static func load(run dir: String) -> FinishedRun? {
        func read<T: Decodable>(_ file: String, as type: T.Type) -> T? {
            guard let data = FileManager.default.contents(atPath: Path.join(dir, file)) else { return nil }
            return try? JSONFormat.decode(T.self, from: data)
        }
        func rows<Row: CSVRow>(_ file: String, as: Row.Type) -> [Row] {
            (try? String(contentsOfFile: Path.join(dir, file), encoding: .utf8)).map(Row.rows(in:)) ?? []
        }
        guard let spec = read(RunFiles.spec, as: RunSpec.self),
              let result = read(RunFiles.result, as: TrainingResult.self), result.epochs == spec.config.epochs else { return nil }
        return FinishedRun(spec: spec, result: result, trainLog: rows(RunFiles.trainLog, as: TrainLogRow.self),
                           epochs: rows(RunFiles.epochs, as: EpochSummary.self), info: read(RunFiles.config, as: RunInfo.self))
    }
}
