import Foundation

/// Writes a run folder's logs (`RunFiles`): `config.json` at the start, `train_log.csv` and
/// `epochs.csv` row by row as training goes. On resume it keeps the rows of the epochs the
/// checkpoint holds and drops any later ones, so a resumed run's logs read as an
/// uninterrupted run's. (`result.json` is the trainer's to write, after the model is safe.)
public final class MetricsLog: TrainingObserver {
    public let directory: String
    private let completedEpochs: Int
    private var trainLog: FileHandle?
    private var epochs: FileHandle?

    /// `completedEpochs`: how many epochs the run already has (0 for a new run). The files are
    /// opened when training starts, `config.json` first: a run killed at any moment leaves a
    /// folder that names itself a run folder before it holds anything else.
    public init(directory: String, completedEpochs: Int) throws {
        self.directory = directory
        self.completedEpochs = completedEpochs
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? trainLog?.close()
        try? epochs?.close()
    }

    /// Rewrites a CSV with its header and the rows of epochs `1...keepingEpochs` (atomically),
    /// then opens it for appending.
    private static func open<Row: CSVRow>(_ path: String, as: Row.Type, keepingEpochs: Int, epoch: (Row) -> Int) throws -> FileHandle {
        var lines = [Row.header]
        if keepingEpochs > 0, let bytes = try? RegularFile.read(path, maximumBytes: RunFiles.maximumLogBytes) {
            lines += Row.rows(in: String(decoding: bytes, as: UTF8.self)).filter { epoch($0) <= keepingEpochs }.map(\.line)
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        return handle
    }

    public func handle(_ event: TrainingEvent) throws {
        switch event {
        case let .started(config, _, _):
            try AtomicFile.writeJSON(RunInfo(config: config), to: Path.join(directory, RunFiles.config))
            trainLog = try Self.open(Path.join(directory, RunFiles.trainLog), as: TrainLogRow.self, keepingEpochs: completedEpochs) { $0.epoch }
            epochs = try Self.open(Path.join(directory, RunFiles.epochs), as: EpochSummary.self, keepingEpochs: completedEpochs) { $0.epoch }
        case let .logged(row):
            try trainLog?.write(contentsOf: Data((row.line + "\n").utf8))
        case let .epochEnded(e):
            try epochs?.write(contentsOf: Data((e.line + "\n").utf8))
        case .finished, .batchEnded:
            break
        }
    }
}
