/// The three feature definitions of FEATURES.md.
public enum FeatureVariant: String, CaseIterable, Codable, Sendable {
    /// Exact Boltzmann entropy `ln W` of the particles added so far (the default).
    case boltzmann
    /// The paper's canonical-ensemble formula, through a table of the per-particle entropy s(u).
    case canonical
    /// Bit-compatible with the paper's released code (raw bytes, wrapped float-to-byte casts).
    case reference
}
