/// A checkpoint (`model.safetensors`, `state.safetensors`) that cannot be used. Every case
/// names the file; the message says what is wrong and, where there is one, the fix.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    case missing(path: String)
    case notAFile(path: String, kind: String)
    case unreadable(path: String, reason: String)
    /// The bytes are not a valid safetensors file (truncated, corrupted, inconsistent header).
    case malformed(path: String, reason: String)
    case missingTensor(path: String, name: String)
    case wrongTensor(path: String, name: String, found: String, expected: String)
    /// The metadata lacks a value this tool writes, or holds one it cannot use.
    case badMetadata(path: String, key: String, reason: String)
    /// Parameters, moments or statistics that are NaN, infinite or out of range.
    case invalidValues(path: String, reason: String)
    /// The checkpoint belongs to a run with other settings: each one that differs, in words.
    case otherSettings(path: String, differences: [String])
    case tooManyEpochs(path: String, completed: Int, asked: Int)
    /// A reproduction folder where one run's folder was expected.
    case reproductionFolder(path: String, runs: [String])

    public var path: String {
        switch self {
        case let .missing(path), let .notAFile(path, _), let .unreadable(path, _), let .malformed(path, _),
             let .missingTensor(path, _), let .wrongTensor(path, _, _, _), let .badMetadata(path, _, _),
             let .invalidValues(path, _), let .otherSettings(path, _), let .tooManyEpochs(path, _, _),
             let .reproductionFolder(path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case let .missing(path): "\(path): no such file"
        case let .notAFile(path, _): "\(path): not a regular file"
        case let .unreadable(path, reason): "\(path): cannot read the file (\(reason))"
        case let .malformed(path, reason): "\(path): not a valid safetensors file: \(reason)"
        case let .missingTensor(path, name): "\(path): tensor \(name) is missing"
        case let .wrongTensor(path, name, found, expected): "\(path): tensor \(name) is \(found), expected \(expected)"
        case let .badMetadata(path, key, reason): "\(path): metadata \"\(key)\": \(reason)"
        case let .invalidValues(path, reason): "\(path): \(reason); the file is damaged, resume from an intact copy or train afresh"
        case let .otherSettings(path, differences):
            "\(path): was written by a run with other settings (\(differences.joined(separator: "; "))). Give that run's settings "
                + "(with --resume, options left out are taken from the folder), or another --out"
        case let .tooManyEpochs(path, completed, asked):
            "\(path): has \(completed) epochs done, more than the \(asked) asked for; pass --epochs \(completed) or more"
        case let .reproductionFolder(path, runs):
            "\(path) is a reproduction folder, not a run: pass one of its runs, for example "
                + runs.prefix(4).map { "\(path)/\(RunFiles.reproductionRuns)/\($0)" }.joined(separator: ", ")
                + (runs.count > 4 ? " (\(runs.count) in all: ls \(path)/\(RunFiles.reproductionRuns))" : "")
        }
    }
}
