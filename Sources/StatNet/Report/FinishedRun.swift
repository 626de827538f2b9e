import Foundation

/// A finished run of a reproduction, read back from its folder: its plan entry, its result
/// (never missing: unfinished runs are not `FinishedRun`s), its logs and the machine it ran on.
public struct FinishedRun: Sendable {
    public let spec: RunSpec
    public let result: TrainingResult
    public let trainLog: [TrainLogRow]
    public let epochs: [EpochSummary]
    public let info: RunInfo?
    /// The run folder it was read from.
    public let folder: String

    public init(spec: RunSpec, result: TrainingResult, trainLog: [TrainLogRow], epochs: [EpochSummary], info: RunInfo?, folder: String = "") {
        self.folder = folder
        self.spec = spec
        self.result = result
        self.trainLog = trainLog
        self.epochs = epochs
        self.info = info
    }

    /// The finished runs under `directory/runs`, sorted by id (unfinished runs are left out;
    /// damaged ones too, see `scan`).
    public static func load(from directory: String) -> [FinishedRun] { scan(directory).runs }

    /// A run folder that looks finished (it has a `result.json`) but whose files cannot be
    /// used: which file, and what is wrong with it.
    public struct Damaged: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The finished runs under `directory/runs` and the damaged ones, each by its path.
    public static func scan(_ directory: String) -> (runs: [FinishedRun], damaged: [Damaged]) {
        let runs = Path.join(directory, ReproductionFiles.runs)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted().filter { !$0.hasPrefix(".") }
        var found: [FinishedRun] = [], damaged: [Damaged] = []
        for name in names {
            switch read(run: Path.join(runs, name)) {
            case .finished(let run):
                if run.spec.id == name { found.append(run) } else {
                    damaged.append(Damaged(path: Path.join(Path.join(runs, name), RunFiles.spec),
                                           reason: "names run \(run.spec.id), not the folder's own \(name)"))
                }
            case .damaged(let problem): damaged.append(problem)
            case .unfinished: continue
            }
        }
        return (found, damaged)
    }

    /// The finished run in the run folder `dir`, if it is one.
    public static func load(run dir: String) -> FinishedRun? {
        if case .finished(let run) = read(run: dir) { return run }
        return nil
    }

    enum Reading {
        case finished(FinishedRun)
        case unfinished
        case damaged(Damaged)
    }

    /// A run folder is finished when its `result.json` is there for its spec's epochs; a
    /// result beside a spec that cannot be read (or a result that cannot) is damaged.
    static func read(run dir: String) -> Reading {
        func read<T: Decodable>(_ file: String, as type: T.Type) -> Result<T, Damaged>? {
            let path = Path.join(dir, file)
            do { return try JSONFormat.read(T.self, at: path).map { .success($0) } } catch {
                return .failure(Damaged(path: path, reason: error.reason))
            }
        }
        guard let result = read(RunFiles.result, as: TrainingResult.self) else { return .unfinished }
        guard let specRead = read(RunFiles.spec, as: RunSpec.self) else {
            return .damaged(Damaged(path: Path.join(dir, RunFiles.spec), reason: "missing beside a result.json"))
        }
        let spec: RunSpec, finished: TrainingResult
        switch (specRead, result) {
        case (.failure(let problem), _), (_, .failure(let problem)): return .damaged(problem)
        case let (.success(s), .success(r)): (spec, finished) = (s, r)
        }
        guard finished.epochs == spec.config.epochs else { return .unfinished }   // a result of fewer epochs, being extended
        return .finished(FinishedRun(spec: spec, result: finished, trainLog: TrainLogRow.rows(inFile: RunFiles.trainLog, of: dir),
                                     epochs: EpochSummary.rows(inFile: RunFiles.epochs, of: dir),
                                     info: (read(RunFiles.config, as: RunInfo.self)).flatMap { try? $0.get() }, folder: dir))
    }
}
