/// A setting that cannot work, said in words a user can act on. The same checks run on
/// command-line options and on configurations read back from files.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A count that must be at least `minimum` (epochs, batch size, threads, ...).
    case tooSmall(setting: String, value: Int, minimum: Int)
    /// A count above what this tool accepts (a batch of 10^8 images would allocate hundreds of GB).
    case tooLarge(setting: String, value: Int, maximum: Int)
    /// A real number outside its range (`allowed` in interval notation, e.g. "[0, 1)").
    case outOfRange(setting: String, value: Double, allowed: String)
    /// Branch channels must be one channel in 0...3 per branch.
    case branchChannels([Int])

    public var description: String {
        switch self {
        case let .tooSmall(setting, value, minimum):
            "\(setting) must be at least \(minimum) (got \(value))"
        case let .tooLarge(setting, value, maximum):
            "\(setting) must be at most \(maximum) (got \(value))"
        case let .outOfRange(setting, value, allowed):
            "\(setting) must be in \(allowed) (got \(value))"
        case let .branchChannels(channels):
            "branch channels must be \(FeatureChannel.count) values in 0...\(FeatureChannel.count - 1), one per branch (got \(channels))"
        }
    }
}
