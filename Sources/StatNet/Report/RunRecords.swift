import Foundation

/// A finished (or unfinished) run of a reproduction, read back from its folder.
public struct RunRecord: Sendable {
    public let spec: RunSpec
    public let result: TrainingResult?
    public let trainLog: [TrainLogRow]
    public let epochs: [EpochSummary]
    public let info: RunInfo?

    public static let specFile = "spec.json"

    /// Every run folder under `directory/runs`, sorted by id; folders without a spec are ignored.
    public static func load(from directory: String) -> [RunRecord] {
        let runs = (directory as NSString).appendingPathComponent("runs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted()
        return names.compactMap { name in
            let dir = (runs as NSString).appendingPathComponent(name)
            func read<T: Decodable>(_ file: String, as type: T.Type) -> T? {
                guard let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(file)) else { return nil }
                return try? JSONDecoder().decode(T.self, from: data)
            }
            guard let spec = read(specFile, as: RunSpec.self) else { return nil }
            let result = read(RunFolder.resultFile, as: TrainingResult.self).flatMap { $0.epochs == spec.config.epochs ? $0 : nil }
            return RunRecord(spec: spec, result: result, trainLog: csv(dir, "train_log.csv").compactMap(trainRow),
                             epochs: csv(dir, "epochs.csv").compactMap(epochRow), info: read("config.json", as: RunInfo.self))
        }
    }

    static func csv(_ dir: String, _ file: String) -> [[String]] {
        guard let text = try? String(contentsOfFile: (dir as NSString).appendingPathComponent(file), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    static func trainRow(_ f: [String]) -> TrainLogRow? {
        guard f.count == 5, let e = Int(f[0]), let b = Int(f[1]), let s = Int(f[2]), let l = Double(f[3]), let a = Double(f[4]) else { return nil }
        return TrainLogRow(epoch: e, batch: b, seen: s, trainLoss: l, trainAccuracy: a)
    }

    static func epochRow(_ f: [String]) -> EpochSummary? {
        guard f.count == 6, let e = Int(f[0]), let tl = Double(f[1]), let ta = Double(f[2]), let vl = Double(f[3]),
              let va = Double(f[4]), let s = Double(f[5]) else { return nil }
        return EpochSummary(epoch: e, trainLoss: tl, trainAccuracy: ta, validationLoss: vl, validationAccuracy: va, seconds: s)
    }
}
