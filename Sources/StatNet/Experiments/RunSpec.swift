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
}
