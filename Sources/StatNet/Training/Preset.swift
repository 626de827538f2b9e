/// The two pipelines of EXPERIMENTS.md.
public enum Preset: String, CaseIterable, Codable, Sendable {
    /// The released code's pipeline: `reference` features, no normalisation.
    case paper
    /// `boltzmann` features with channel normalisation (the default).
    case physics

    public var features: FeatureVariant { self == .paper ? .reference : .boltzmann }
    public var normalisation: NormalisationMode { self == .paper ? .none : .channel }
}
