import Foundation

/// One training run of a reproduction: what it is for and its full configuration
/// (`spec.json` in its run folder).
public struct RunSpec: Codable, Equatable, Sendable {
    public enum Experiment: String, Codable, Sendable { case comparison, ablation }
    /// Folder name under `runs/`, unique in a plan.
    public let id: String
    public let experiment: Experiment
    /// For ablations: which variant (e.g. "statnet-entropy-only"); else the model name.
    public let label: String
    public let config: TrainingConfig

    public init(id: String, experiment: Experiment, label: String, config: TrainingConfig) {
        self.id = id
        self.experiment = experiment
        self.label = label
        self.config = config
    }

    /// Whether `id` can name a run folder: letters, digits, `.`, `_`, `-` and `+` only, not `.` or
    /// `..`, at most 200 characters. A run id is a folder's name, never a path.
    public static func isValidID(_ id: String) -> Bool {
        guard (1...maximumIDLength).contains(id.count), id != ".", id != ".." else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-+".unicodeScalars.contains($0)) }
    }

    public static let maximumIDLength = 200

    enum CodingKeys: String, CodingKey { case id, experiment, label, config }

    /// Refuses an id that is not a plain name, so that a run folder read back can never point
    /// outside its reproduction folder.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        guard Self.isValidID(id) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "run id \"\(id)\" is not a plain folder name")
        }
        experiment = try c.decode(Experiment.self, forKey: .experiment)
        label = try c.decode(String.self, forKey: .label)
        config = try c.decode(TrainingConfig.self, forKey: .config)
    }
}
