import Foundation

/// The two checkpoint files of a run folder, written atomically after every epoch.
///
/// - `model.safetensors`: the weights with PyTorch's `state_dict` names and `[out, in]` shapes
///   (`branches.<i>.weight|bias`, `neck.weight|bias`), the normaliser's statistics
///   (`normaliser.mean|std`, `[4, 784]`), and the configuration in `__metadata__`.
/// - `state.safetensors`: everything a resumed run needs to continue bit for bit: the
///   parameters and Adam's moments in the flat internal layout, Adam's step, the sampler's and
///   the dropout generators' states, and the number of completed epochs. Resuming reads only
///   this file, so a stop between the two writes loses nothing.
///
/// Loading validates every value before use: the configuration with the same checks as the
/// command line, counts within range, and no NaN or infinity in parameters or moments.
public enum Checkpoint {
    public static let modelFile = RunFiles.model
    public static let stateFile = RunFiles.state

    /// What `model.safetensors` holds.
    public struct Model: Sendable {
        public let config: TrainingConfig
        public let architecture: FourBranchArchitecture
        public let parameters: [Float]
        public let normaliser: Normaliser
        public let completedEpochs: Int
    }

    /// What `state.safetensors` holds.
    public struct State: Sendable {
        public let config: TrainingConfig
        public let completedEpochs: Int
        public let parameters: [Float]
        public let adamStep: Int
        public let adamM: [Float]
        public let adamV: [Float]
        public let samplerState: UInt64
        public let dropoutStates: [UInt64]

        public init(config: TrainingConfig, completedEpochs: Int, parameters: [Float], adamStep: Int, adamM: [Float], adamV: [Float],
                    samplerState: UInt64, dropoutStates: [UInt64]) {
            self.config = config
            self.completedEpochs = completedEpochs
            self.parameters = parameters
            self.adamStep = adamStep
            self.adamM = adamM
            self.adamV = adamV
            self.samplerState = samplerState
            self.dropoutStates = dropoutStates
        }
    }

    /// The configuration as one line of JSON with sorted keys (metadata, messages). Encoding
    /// fails only on a number JSON cannot hold (validated settings have none); then the
    /// configuration's description stands in, so a message is never lost to it.
    public static func configJSON(_ config: TrainingConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(config) else { return String(describing: config) }
        return String(decoding: data, as: UTF8.self)
    }

    /// The configuration in a checkpoint's metadata, checked as a command line would be.
    static func config(from metadata: [String: String], file: String) throws -> TrainingConfig {
        guard let text = metadata["config"] else {
            throw CheckpointError.badMetadata(path: file, key: "config", reason: "missing: not a statnet checkpoint")
        }
        let config: TrainingConfig
        do { config = try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) } catch {
            throw CheckpointError.badMetadata(path: file, key: "config", reason: "cannot be read (\(error))")
        }
        do { try config.validate(trainingImages: MNISTSplit.trainingImageCount) } catch {
            throw CheckpointError.badMetadata(path: file, key: "config", reason: "\(error)")
        }
        return config
    }

    static func epochs(from metadata: [String: String], file: String, config: TrainingConfig) throws -> Int {
        guard let text = metadata["completed_epochs"], let n = Int(text), (0...config.epochs).contains(n) else {
            throw CheckpointError.badMetadata(path: file, key: "completed_epochs",
                                              reason: "missing or not a whole number in 0...\(config.epochs)")
        }
        return n
    }

    static func requireFinite(_ values: [Float], _ name: String, file: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw CheckpointError.invalidValues(path: file, reason: "\(name) holds \(values[i]) at index \(i)")
        }
    }

    public static func saveModel(_ m: Model, to path: String) throws {
        var file = SafeTensors()
        for view in m.architecture.layout.views {
            file.set(view.name, floats: m.architecture.layout.exported(view, from: m.parameters), shape: view.shape)
        }
        file.set("normaliser.mean", floats: m.normaliser.mean, shape: [FeatureChannel.count, m.normaliser.length])
        file.set("normaliser.std", floats: m.normaliser.std, shape: [FeatureChannel.count, m.normaliser.length])
        file.metadata = ["format": "statnet", "config": configJSON(m.config), "completed_epochs": String(m.completedEpochs),
                         "normalisation": m.normaliser.mode.rawValue]
        try file.write(to: path)
    }

    public static func loadModel(from path: String) throws -> Model {
        let file = try SafeTensors.read(path: path)
        let config = try config(from: file.metadata, file: path)
        let completed = try epochs(from: file.metadata, file: path, config: config)
        let architecture = config.architecture
        var parameters = [Float](repeating: 0, count: architecture.parameterCount)
        for view in architecture.layout.views {
            architecture.layout.imported(view, try file.floats(view.name, shape: view.shape, file: path), into: &parameters)
        }
        let d = architecture.shape.inputCount
        let mean = try file.floats("normaliser.mean", shape: [FeatureChannel.count, d], file: path)
        let std = try file.floats("normaliser.std", shape: [FeatureChannel.count, d], file: path)
        try requireFinite(parameters, "the weights", file: path)
        try requireFinite(mean, "normaliser.mean", file: path)
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw CheckpointError.invalidValues(path: path, reason: "normaliser.std holds a value that is not positive and finite")
        }
        return Model(config: config, architecture: architecture, parameters: parameters,
                     normaliser: Normaliser(mode: config.normalisation, length: d, mean: mean, std: std),
                     completedEpochs: completed)
    }

    public static func saveState(_ s: State, to path: String) throws {
        var file = SafeTensors()
        let n = s.parameters.count
        file.set("parameters", floats: s.parameters, shape: [n])
        file.set("adam.m", floats: s.adamM, shape: [n])
        file.set("adam.v", floats: s.adamV, shape: [n])
        file.set("adam.step", unsigned: [UInt64(s.adamStep)])
        file.set("rng.sampler", unsigned: [s.samplerState])
        file.set("rng.dropout", unsigned: s.dropoutStates)
        file.metadata = ["format": "statnet-state", "config": configJSON(s.config), "completed_epochs": String(s.completedEpochs)]
        try file.write(to: path)
    }

    public static func loadState(from path: String) throws -> State {
        let file = try SafeTensors.read(path: path)
        let config = try config(from: file.metadata, file: path)
        let completed = try epochs(from: file.metadata, file: path, config: config)
        let n = config.architecture.parameterCount
        let parameters = try file.floats("parameters", shape: [n], file: path)
        let m = try file.floats("adam.m", shape: [n], file: path), v = try file.floats("adam.v", shape: [n], file: path)
        try requireFinite(parameters, "parameters", file: path)
        try requireFinite(m, "adam.m", file: path)
        try requireFinite(v, "adam.v", file: path)
        if let i = v.firstIndex(where: { $0 < 0 }) {
            throw CheckpointError.invalidValues(path: path, reason: "adam.v (a mean of squares) is negative at index \(i)")
        }
        let step = try file.unsigned("adam.step", count: 1, file: path)[0]
        guard step <= UInt64(Int32.max) else {
            throw CheckpointError.invalidValues(path: path, reason: "adam.step is \(step), beyond any run")
        }
        return State(config: config, completedEpochs: completed,
                     parameters: parameters, adamStep: Int(step), adamM: m, adamV: v,
                     samplerState: try file.unsigned("rng.sampler", count: 1, file: path)[0],
                     dropoutStates: try file.unsigned("rng.dropout", count: config.architecture.shape.branchCount, file: path))
    }
}
