#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be written, in words: which file, what happened, and what to do.
public enum FileWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    case diskFull(path: String)
    case readOnly(path: String)
    case permissionDenied(path: String)
    /// A path component is a file where a folder is needed, or the folder is missing.
    case badFolder(path: String, reason: String)
    case failed(path: String, reason: String)
    /// An output path this tool refuses to write: empty, the root, something that is not a
    /// regular file, or a file it did not make (`reason` says which).
    case refused(path: String, reason: String)

    /// The error for `errno` value `code` while writing `path`.
    public init(path: String, errno code: Int32) {
        switch code {
        case ENOSPC, EDQUOT: self = .diskFull(path: path)
        case EROFS: self = .readOnly(path: path)
        case EACCES, EPERM: self = .permissionDenied(path: path)
        case ENOTDIR, ENOENT, EISDIR, EEXIST: self = .badFolder(path: path, reason: String(cString: strerror(code)))
        default: self = .failed(path: path, reason: String(cString: strerror(code)))
        }
    }

    public var path: String {
        switch self {
        case let .diskFull(path), let .readOnly(path), let .permissionDenied(path), let .badFolder(path, _), let .failed(path, _),
             let .refused(path, _): path
        }
    }

    public var description: String {
        switch self {
        case let .diskFull(path):
            "\(path): cannot write: the disk is full (or over quota). Free some space; nothing was half-written, and the same command resumes"
        case let .readOnly(path):
            "\(path): cannot write: the file system is read-only. Choose an output folder on a writable disk"
        case let .permissionDenied(path):
            "\(path): cannot write: permission denied. Choose an output folder you may write to"
        case let .badFolder(path, reason):
            "\(path): cannot write: \(reason). Check that the folder exists and is a folder"
        case let .failed(path, reason):
            "\(path): cannot write: \(reason)"
        case let .refused(path, reason):
            "\(path.isEmpty ? "''" : path): will not write there: \(reason)"
        }
    }
}
