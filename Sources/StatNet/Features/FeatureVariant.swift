/// The three feature definitions of FEATURES.md.
public enum FeatureVariant: String, CaseIterable, Codable, Sendable {
    /// Exact Boltzmann entropy `ln W` of the particles added so far (the default).
    case boltzmann
    /// The paper's canonical-ensemble formula, through a table of the per-particle entropy s(u).
    case canonical
    /// Bit-compatible with the paper's released code (raw bytes, wrapped float-to-byte casts).
    case reference
}

/// The four channels, in branch order.
public enum FeatureChannel: Int, CaseIterable, Codable, Sendable {
    case energy = 0, level, entropy, meanEnergy

    /// The number of channels (and of the models' branches).
    public static let count = allCases.count

    public var name: String {
        switch self {
        case .energy: "energy"
        case .level: "level"
        case .entropy: "entropy"
        case .meanEnergy: "meanEnergy"
        }
    }
}
