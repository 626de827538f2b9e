/// Why a reproduction cannot start in its folder. Nothing is trained when one is thrown.
public enum ReproductionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The folder holds a reproduction with other settings (`difference` in words).
    case otherPlan(folder: String, difference: String)
    /// Runs of the plan already exist with other settings.
    case otherRunSettings(folder: String, ids: [String])
    /// The folder is not empty and not a reproduction folder.
    case notAReproductionFolder(folder: String, examples: [String])

    public var description: String {
        switch self {
        case let .otherPlan(folder, difference):
            "\(folder) holds a reproduction with other settings (\(difference)); a report must not mix them. "
                + "Choose another --out (scripts/main.sh --quick writes reports/quick), or delete the folder"
        case let .otherRunSettings(folder, ids):
            "\(folder) holds runs \(ids.prefix(3).joined(separator: ", "))\(ids.count > 3 ? " and \(ids.count - 3) more" : "") with other settings "
                + "than this plan gives them; choose another --out"
        case let .notAReproductionFolder(folder, examples):
            "\(folder) is not empty and is not a reproduction folder (it holds \(examples.joined(separator: ", "))); nothing was written. "
                + "Choose a new or empty folder for --out"
        }
    }
}
