import Foundation

/// A person's image file, PGM or PNG told apart by their first bytes, read as a `GreyImage`.
/// A folder, a FIFO or a device is refused before it is opened; so is a file far larger than
/// any image this tool accepts.
public enum ImageFile {
    /// The largest file read (a 4096 x 4096 16-bit PGM is 32 MB).
    public static let maximumBytes = 64 << 20

    public static func read(_ path: String) throws -> GreyImage {
        let bytes = try bytes(of: path)
        return try decode(bytes, path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> GreyImage {
        if bytes.isEmpty { throw DataError(path, .empty, "file is empty") }
        if bytes.starts(with: PNGImage.signature) { return try PNGImage.decode(bytes, path: path) }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "2") || bytes[1] == UInt8(ascii: "5") {
            return try PGMImage.decode(bytes, path: path)
        }
        throw DataError(path, .badImage, "not a PGM (P2/P5) or PNG image")
    }

    static func bytes(of path: String) throws -> [UInt8] {
        do { return try RegularFile.read(path, maximumBytes: maximumBytes) } catch {
            switch error {
            case .missing: throw DataError(path, .missing, "no such file")
            case .notRegular("a folder"): throw DataError(path, .isDirectory, "is a directory, expected an image")
            case let .notRegular(kind): throw DataError(path, .notRegularFile, "is \(kind), expected an image")
            case let .unreadable(reason): throw DataError(path, .unreadable, "cannot read: \(reason)")
            case let .tooLarge(size, maximum): throw DataError(path, .tooLarge, "\(size) bytes, more than the \(maximum) accepted for an image")
            }
        }
    }
}
