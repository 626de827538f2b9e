/// The paper's two models (Keyork 2023, "StatNet", section 3; EXPERIMENTS.md), both built as a
/// `FourBranchArchitecture`.
/// - StatNet: branch i reads feature channel i (energy, level, entropy, mean energy).
/// - MLPNet: every branch reads channel 0: an ordinary 784-4096-10 MLP in four blocks.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    case statnet, mlpnet

    /// The feature channel branch `i` reads.
    public func channel(ofBranch i: Int) -> Int { self == .statnet ? i : 0 }
}
