/// Why a run folder cannot be used as asked. Every case names the folder and the way out.
public enum RunFolderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// It holds a run with `completed` of `total` epochs, and neither --resume nor --overwrite was given.
    case holdsRun(folder: String, completed: Int, total: Int)
    /// It is not empty and not a statnet run folder (`examples`: some of what is in it).
    case notARunFolder(folder: String, examples: [String])
    /// It holds a trained model or a result but no state to continue from.
    case noStateToResume(folder: String)

    public var description: String {
        switch self {
        case let .holdsRun(folder, completed, total):
            "\(folder) already holds a run (\(completed) of \(total) epochs done); pass --resume to continue it, "
                + "--overwrite to train it again from scratch, or choose another --out"
        case let .notARunFolder(folder, examples):
            "\(folder) is not empty and is not a statnet run folder (it holds \(examples.joined(separator: ", "))); "
                + "nothing was written. Choose a new or empty folder for --out"
        case let .noStateToResume(folder):
            "\(folder) holds a trained model or result but no \(RunFiles.state) to continue from; "
                + "pass --overwrite to train it again from scratch, or choose another --out"
        }
    }
}
