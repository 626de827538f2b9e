import Foundation

/// Writes a run folder (DESIGN.md): `config.json` at the start, `train_log.csv` and
/// `epochs.csv` row by row as training goes, `result.json` at the end. On resume it keeps the
/// rows of the epochs the checkpoint holds and drops any later ones, so a resumed run's logs
/// read as an uninterrupted run's.
public final class MetricsLog: TrainingObserver {
    public let directory: String
    public static let trainLogHeader = "epoch,batch,seen,train_loss,train_acc"
    public static let epochsHeader = "epoch,train_loss,train_acc,val_loss,val_acc,seconds"
    private var trainLog: FileHandle?
    private var epochs: FileHandle?

    /// `completedEpochs`: how many epochs the run already has (0 for a new run).
    public init(directory: String, completedEpochs: Int) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        trainLog = try Self.open(path("train_log.csv"), header: Self.trainLogHeader, keepingEpochs: completedEpochs)
        epochs = try Self.open(path("epochs.csv"), header: Self.epochsHeader, keepingEpochs: completedEpochs)
    }

    deinit {
        try? trainLog?.close()
        try? epochs?.close()
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Rewrites a CSV with its header and the rows of epochs `1...keepingEpochs` (atomically),
    /// then opens it for appending.
    private static func open(_ path: String, header: String, keepingEpochs: Int) throws -> FileHandle {
        var lines = [header]
        if keepingEpochs > 0, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            lines += text.split(separator: "\n").dropFirst().filter { line in
                Int(line.prefix { $0 != "," }).map { $0 <= keepingEpochs } ?? false
            }.map(String.init)
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        return handle
    }

    static func number(_ x: Double) -> String { String(format: "%.8f", x) }

    public func handle(_ event: TrainingEvent) throws {
        switch event {
        case let .started(config, _, _):
            try AtomicFile.writeJSON(RunInfo(config: config), to: path("config.json"))
        case let .logged(row):
            try trainLog?.write(contentsOf: Data("\(row.epoch),\(row.batch),\(row.seen),\(Self.number(row.trainLoss)),\(Self.number(row.trainAccuracy))\n".utf8))
        case let .epochEnded(e):
            try epochs?.write(contentsOf: Data("\(e.epoch),\(Self.number(e.trainLoss)),\(Self.number(e.trainAccuracy)),\(Self.number(e.validationLoss)),\(Self.number(e.validationAccuracy)),\(String(format: "%.3f", e.seconds))\n".utf8))
        case let .finished(result):
            try AtomicFile.writeJSON(result, to: path("result.json"))
        case .batchEnded:
            break
        }
    }
}

/// `config.json`: every setting, and the machine and software that ran it.
public struct RunInfo: Codable, Equatable, Sendable {
    public static let version = "0.2.0"
    public let config: TrainingConfig
    public let statnetVersion: String
    public let cores: Int
    public let blasCore: String
    public let blasThreads: Int
    public let parameterCount: Int

    public init(config: TrainingConfig) {
        self.config = config
        statnetVersion = Self.version
        cores = ProcessInfo.processInfo.activeProcessorCount
        blasCore = BLAS.coreName
        blasThreads = BLAS.threads
        parameterCount = config.network.parameterCount
    }

    enum CodingKeys: String, CodingKey {
        case config, statnetVersion = "statnet_version", cores, blasCore = "blas_core", blasThreads = "blas_threads"
        case parameterCount = "parameter_count"
    }
}

/// Progress on stderr: on a terminal one updating line (epoch, batch, loss, accuracy, images/s,
/// time left); otherwise one plain line per epoch, so logs stay readable.
public final class ProgressPrinter: TrainingObserver {
    private let interactive: Bool
    private let label: String
    private var lastDraw: UInt64 = 0

    public init(label: String = "", interactive: Bool = isatty(2) != 0) {
        self.interactive = interactive
        self.label = label.isEmpty ? "" : label + " "
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }

    public func handle(_ event: TrainingEvent) throws {
        switch event {
        case let .started(config, done, batches):
            write("\(label)training \(config.model.rawValue) (\(config.features.rawValue) features, \(config.normalisation.rawValue) normalisation), "
                  + "\(config.trainSize) images, \(batches) batches x \(config.epochs) epochs, seed \(config.seed), \(config.threads) threads"
                  + (done > 0 ? ", resuming after epoch \(done)" : "") + "\n")
        case let .batchEnded(p):
            guard interactive else { return }
            let now = Clock.now
            guard now - lastDraw > 200_000_000 || p.batch == p.batchesPerEpoch else { return }
            lastDraw = now
            write(String(format: "\r\u{1B}[K%@epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %@",
                         label, p.epoch, p.epochs, p.batch, p.batchesPerEpoch, p.runningLoss, 100 * p.runningAccuracy,
                         p.imagesPerSecond, Self.duration(p.secondsLeft)))
        case let .epochEnded(e):
            write((interactive ? "\r\u{1B}[K" : "") + String(format: "%@epoch %d: train loss %.4f acc %.2f%%, validation loss %.4f acc %.2f%% (%.1f s)\n",
                                                            label, e.epoch, e.trainLoss, 100 * e.trainAccuracy, e.validationLoss, 100 * e.validationAccuracy, e.seconds))
        case let .finished(r):
            write(String(format: "%@test accuracy %.2f%%, loss %.4f (paper-scaled %.6f); %.0f s of training\n",
                         label, 100 * r.testAccuracy, r.testLoss, r.testLossPaperScaled, r.trainSeconds))
        case .logged:
            break
        }
    }
}
