/// Everything that can be wrong with a data file, always naming the file.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        case missing, isDirectory, unreadable, corruptCompression, empty
        case badMagic, truncatedHeader, truncatedData, trailingBytes, tooLarge
        case wrongShape, countMismatch, labelOutOfRange, checksumMismatch, badImage
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
}
