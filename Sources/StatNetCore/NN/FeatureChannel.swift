/// The four input channels of the four-branch models, in branch order: StatNet's branch i
/// reads channel i (the features library computes them, see FEATURES.md).
public enum FeatureChannel: Int, CaseIterable, Codable, Sendable {
    case energy = 0, level, entropy, meanEnergy

    /// The number of channels (and of the models' branches).
    public static let count = allCases.count

    /// Whether the channel is a running statistic (entropy and mean energy are sums over the
    /// pixels before, so a batch that no branch reads them from can skip them).
    public var isRunning: Bool { self == .entropy || self == .meanEnergy }

    public var name: String {
        switch self {
        case .energy: "energy"
        case .level: "level"
        case .entropy: "entropy"
        case .meanEnergy: "meanEnergy"
        }
    }
}
