import Foundation
import StatNet

/// Which two trained models `statnet serve` shows: from a reproduction folder (its largest
/// training set, the physics preset if it has one, the lowest seed), from two run folders, or
/// with nothing given, `reports/latest` (the main job's) or `reports/quick` (its `--quick`
/// run's) if one holds finished runs, else two small demo models trained once into
/// `models/demo` and reused.
public enum ServerModels {
    public enum ModelError: Error, CustomStringConvertible {
        case noPair(String)
        case sameKind(String, String)
        case tooMany([String])

        public var description: String {
            switch self {
            case let .noPair(folder): "\(folder) holds no finished StatNet and MLPNet runs of the same preset, size and seed"
            case let .sameKind(a, b): "\(a) and \(b) are the same kind of model; give one StatNet and one MLPNet run"
            case let .tooMany(paths): "give a reproduction folder or two run folders, not \(paths.count) paths"
            }
        }
    }

    public static let defaultReproductions = ["reports/latest", "reports/quick"]
    public static let demoFolder = "models/demo"
    /// The demo models' epochs: a few minutes on 2 cores, over 97% on MNIST.
    public static let demoEpochs = 3

    /// The StatNet and MLPNet run folders to serve.
    /// - Parameters:
    ///   - paths: what `--models` gave: nothing, a reproduction folder, or two run folders.
    ///   - beforeTraining: called once before the demo models train (if they must), for an
    ///     observer of the training (the starting page's progress).
    public static func resolve(_ paths: [String], data: () throws -> MNIST, threads: Int, log: (String) -> Void,
                               beforeTraining: () throws -> TrainingObserver? = { nil }) throws -> (statnet: String, mlpnet: String) {
        switch paths.count {
        case 0:
            for folder in defaultReproductions {
                if let pair = pair(in: folder) {
                    log("serve: the models of \(folder)")
                    return pair
                }
            }
            return try demo(data: data, threads: threads, log: log, beforeTraining: beforeTraining)
        case 1:
            guard let pair = pair(in: paths[0]) else { throw ModelError.noPair(paths[0]) }
            return pair
        case 2:
            let kinds = try paths.map { try Checkpoint.loadModel(from: Path.join($0, RunFiles.model)).config.model }
            guard kinds[0] != kinds[1] else { throw ModelError.sameKind(paths[0], paths[1]) }
            return kinds[0] == .statnet ? (paths[0], paths[1]) : (paths[1], paths[0])
        default:
            throw ModelError.tooMany(paths)
        }
    }

    /// A reproduction folder's StatNet and MLPNet runs to show: what each checkpoint's own
    /// configuration says it is decides (a run whose `model.safetensors` holds another model
    /// than its spec names is passed over), and each run is found by its folder, never by the
    /// id its `spec.json` claims.
    public static func pair(in folder: String) -> (statnet: String, mlpnet: String)? {
        let runs = FinishedRun.load(from: folder).filter { $0.spec.experiment == .comparison && checkpointModel(in: $0.folder) == $0.spec.config.model }
        guard let largest = runs.map(\.spec.config.trainSize).max() else { return nil }
        for preset in [Preset.physics, .paper] {
            let here = runs.filter { $0.spec.config.preset == preset && $0.spec.config.trainSize == largest }
            for seed in Set(here.map(\.spec.config.seed)).sorted() {
                let s = here.first { $0.spec.config.seed == seed && $0.spec.config.model == .statnet }
                let m = here.first { $0.spec.config.seed == seed && $0.spec.config.model == .mlpnet }
                if let s, let m { return (s.folder, m.folder) }
            }
        }
        return nil
    }

    /// The model `model.safetensors` in `folder` says it holds (from its header alone), or nil.
    static func checkpointModel(in folder: String) -> ModelKind? {
        guard let header = try? SafeTensors.readHeader(path: Path.join(folder, RunFiles.model)), let text = header.metadata["config"],
              let config = try? JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) else { return nil }
        return config.model
    }

    /// Trains (once) the two demo models, physics preset.
    static func demo(data: () throws -> MNIST, threads: Int, log: (String) -> Void,
                     beforeTraining: () throws -> TrainingObserver?) throws -> (statnet: String, mlpnet: String) {
        var folders: [String] = []
        var progress: TrainingObserver?, asked = false
        for model in ModelKind.allCases {
            var config = TrainingConfig(model: model, preset: .physics)
            config.epochs = demoEpochs
            config.threads = threads
            let folder = Path.join(demoFolder, model.rawValue)
            if RunFolder.finishedResult(in: folder, config: config) == nil {
                if !asked { (progress, asked) = (try beforeTraining(), true) }
                log("serve: no models given and none in \(defaultReproductions.joined(separator: " or ")): training a \(model.rawValue) for \(demoEpochs) epochs into \(folder) (once; reused next time)")
            }
            _ = try RunFolder.train(config: config, out: folder, mode: .resume, data: data, observers: [ProgressPrinter(showsResult: true)] + [progress].compactMap { $0 },
                                    shouldStop: { StopRequest.isRequested })
            folders.append(folder)
        }
        return (folders[0], folders[1])
    }
}
