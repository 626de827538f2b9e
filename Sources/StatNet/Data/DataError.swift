/// Everything that can be wrong with a data file, always naming the file.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        case missing, isDirectory, notRegularFile, unreadable, corruptCompression, empty
        case badMagic, truncatedHeader, truncatedData, trailingBytes, tooLarge
        case wrongShape, countMismatch, labelOutOfRange, checksumMismatch, badImage, noInk
    }
    public let path: String
    public let kind: Kind
    public let detail: String

    public init(_ path: String, _ kind: Kind, _ detail: String) {
        self.path = path
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }

    /// Refuses a path that is missing or not a regular file (a folder, or a FIFO that would
    /// block a reader forever) before anything opens it.
    static func requireRegularFile(_ path: String, expected: String) throws {
        do { _ = try RegularFile.size(path) } catch {
            switch error {
            case .missing: throw DataError(path, .missing, "no such file")
            case .notRegular("a folder"): throw DataError(path, .isDirectory, "is a directory, expected \(expected)")
            case let .notRegular(kind): throw DataError(path, .notRegularFile, "is \(kind), expected \(expected)")
            case let .unreadable(reason): throw DataError(path, .unreadable, "cannot read: \(reason)")
            case .tooLarge: throw DataError(path, .tooLarge, "is too large")
            }
        }
    }
}
