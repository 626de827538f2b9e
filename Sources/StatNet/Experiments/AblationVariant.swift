/// One ablation on experiment 1 (physics preset): a change to StatNet's inputs or to MLPNet's
/// normalisation, to find which channel carries any gain and whether StatNet beats a fairly
/// normalised MLPNet. There is no "energy-only" variant: the energy channel is the pixel
/// value, so StatNet fed it alone is MLPNet.
public struct AblationVariant: Sendable, Equatable {
    public let label: String
    public let model: ModelKind
    /// The channel each branch reads; nil for the model's own.
    public let branchChannels: [Int]?
    /// Replaces the preset's feature variant when set.
    public let features: FeatureVariant?
    /// Replaces the preset's normalisation when set.
    public let normalisation: NormalisationMode?

    public init(_ label: String, _ model: ModelKind, branchChannels: [Int]? = nil, features: FeatureVariant? = nil,
                normalisation: NormalisationMode? = nil) {
        self.label = label
        self.model = model
        self.branchChannels = branchChannels
        self.features = features
        self.normalisation = normalisation
    }

    public static let all: [AblationVariant] = [
        .init("statnet-level-only", .statnet, branchChannels: [1, 1, 1, 1]),
        .init("statnet-entropy-only", .statnet, branchChannels: [2, 2, 2, 2]),
        .init("statnet-meanEnergy-only", .statnet, branchChannels: [3, 3, 3, 3]),
        .init("statnet-energy+level", .statnet, branchChannels: [0, 1, 0, 1]),
        .init("statnet-entropy+meanEnergy", .statnet, branchChannels: [2, 3, 2, 3]),
        .init("statnet-canonical", .statnet, features: .canonical),
        .init("mlpnet-unnormalised", .mlpnet, normalisation: NormalisationMode.none),
        .init("mlpnet-position-normalised", .mlpnet, normalisation: .position),
    ]

    /// `config` changed by this variant.
    public func applied(to config: TrainingConfig) -> TrainingConfig {
        var c = config
        c.model = model
        c.branchChannels = branchChannels
        if let features { c.features = features }
        if let normalisation { c.normalisation = normalisation }
        return c
    }
}
