import Foundation

/// The files of a run folder (DESIGN.md, "Outputs a user gets"), each named once here and
/// used by every writer and reader.
public enum RunFiles {
    /// Every setting, the machine and the software (`RunInfo`).
    public static let config = "config.json"
    /// Every `logEvery` batches: `TrainLogRow`.
    public static let trainLog = "train_log.csv"
    /// One row per epoch: `EpochSummary`.
    public static let epochs = "epochs.csv"
    /// The finished model's logits of every validation and test image (`RunOutputsFile`).
    public static let outputs = "outputs.safetensors"
    /// The test result (`TrainingResult`), written last: a run is finished when it is there.
    public static let result = "result.json"
    /// Weights in PyTorch's names and shapes, the normaliser, the configuration.
    public static let model = "model.safetensors"
    /// Everything a resumed run needs (parameters, Adam moments, generator states).
    public static let state = "state.safetensors"
    /// The run's curves, drawn on request by `statnet report RUN_DIR` (`RunCurves`).
    public static let curves = "curves.svg"
    /// What a reproduction planned for this run (`RunSpec`).
    public static let spec = "spec.json"
    /// The folder of a reproduction that holds its run folders.
    public static let reproductionRuns = "runs"

    /// The largest CSV log read back (a 100,000-epoch run's train_log.csv is some 100 MB; the
    /// paper's 20 epochs are 50 kB).
    public static let maximumLogBytes = 256 << 20

}

/// A row of one of the run folder's CSV logs. The header, the writer and the reader of each
/// file sit together in its conformance, and the reader finds columns by name, so the two
/// sides cannot drift apart.
public protocol CSVRow {
    /// Column names, in file order.
    static var columns: [String] { get }
    /// The row's values in `columns` order.
    var fields: [String] { get }
    /// The row from its values by column name; nil when a value is missing or malformed.
    init?(_ value: (String) -> String?)
}

extension CSVRow {
    public static var header: String { columns.joined(separator: ",") }
    public var line: String { fields.joined(separator: ",") }

    /// The rows of a CSV file's text (header first); rows that do not parse are skipped (the
    /// last line of a run killed mid-write, for example).
    public static func rows(in text: String) -> [Self] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let head = lines.next() else { return [] }
        let index = Dictionary(head.split(separator: ",").enumerated().map { (String($1), $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Self] = []
        while let line = lines.next() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == index.count, let row = Self({ name in index[name].map { cells[$0] } }) else { continue }
            out.append(row)
        }
        return out
    }

    /// The rows of the log `file` in the run folder `folder` (none when it is missing or
    /// unreadable; read through RegularFile, so a FIFO or a huge file is never waited on).
    static func rows(inFile file: String, of folder: String) -> [Self] {
        (try? RegularFile.read(Path.join(folder, file), maximumBytes: RunFiles.maximumLogBytes))
            .map { rows(in: String(decoding: $0, as: UTF8.self)) } ?? []
    }

    /// A number as the logs write it: 8 decimals.
    static func number(_ x: Double) -> String { String(format: "%.8f", x) }
}

extension TrainLogRow: CSVRow {
    public static let columns = ["epoch", "batch", "seen", "train_loss", "train_acc"]
    public var fields: [String] { [String(epoch), String(batch), String(seen), Self.number(trainLoss), Self.number(trainAccuracy)] }
    public init?(_ value: (String) -> String?) {
        guard let e = value("epoch").flatMap({ Int($0) }), let b = value("batch").flatMap({ Int($0) }),
              let s = value("seen").flatMap({ Int($0) }), let l = value("train_loss").flatMap({ Double($0) }),
              let a = value("train_acc").flatMap({ Double($0) }) else { return nil }
        self.init(epoch: e, batch: b, seen: s, trainLoss: l, trainAccuracy: a)
    }
}

extension EpochSummary: CSVRow {
    public static let columns = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "seconds"]
    public var fields: [String] {
        [String(epoch), Self.number(trainLoss), Self.number(trainAccuracy), Self.number(validationLoss), Self.number(validationAccuracy),
         String(format: "%.3f", seconds)]
    }
    public init?(_ value: (String) -> String?) {
        guard let e = value("epoch").flatMap({ Int($0) }), let tl = value("train_loss").flatMap({ Double($0) }),
              let ta = value("train_acc").flatMap({ Double($0) }), let vl = value("val_loss").flatMap({ Double($0) }),
              let va = value("val_acc").flatMap({ Double($0) }), let s = value("seconds").flatMap({ Double($0) }) else { return nil }
        self.init(epoch: e, trainLoss: tl, trainAccuracy: ta, validationLoss: vl, validationAccuracy: va, seconds: s)
    }
}
