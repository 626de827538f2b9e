import Foundation

/// The one JSON form of the project's files: pretty-printed, sorted keys (diffable), and
/// non-finite numbers as the strings "nan", "inf", "-inf" (JSON has no such numbers).
public enum JSONFormat {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    /// Reads what `encode` wrote.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(type, from: data)
    }

    /// The largest JSON file of a run or reproduction folder that is read (a plan.json of a
    /// thousand seeds is a few kB; results.json of a large plan some MB).
    public static let maximumFileBytes = 64 << 20

    /// What the file at `path` holds, nil when there is none; a file that is not a regular file,
    /// is over `maximumFileBytes` or does not read as `T` is an error in words (a FIFO planted
    /// in a folder is refused, never waited on).
    public static func read<T: Decodable>(_ type: T.Type, at path: String) throws(ReadFailure) -> T? {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, maximumBytes: maximumFileBytes) } catch {
            switch error {
            case .missing: return nil
            case .notRegular(let kind): throw ReadFailure(reason: "is \(kind), not a file")
            case .unreadable(let reason): throw ReadFailure(reason: "cannot be read (\(reason))")
            case let .tooLarge(size, maximum): throw ReadFailure(reason: "is \(size) bytes, more than the \(maximum) accepted")
            }
        }
        do { return try decode(T.self, from: Data(bytes)) } catch { throw ReadFailure(reason: "cannot be read (\(describe(error)))") }
    }

    /// Why a JSON file could not be used (the caller names the file).
    public struct ReadFailure: Error, Sendable, Equatable {
        public let reason: String
    }

    /// A decoding error in a line a person reads: what is wrong, and at which key.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String { path.isEmpty ? "" : " at " + path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .dataCorrupted(c): return c.debugDescription.contains("given data was not valid JSON") ? "not valid JSON (truncated?)" : c.debugDescription + at(c.codingPath)
        case let .keyNotFound(key, c): return "\(key.stringValue) is missing" + at(c.codingPath)
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return c.debugDescription + at(c.codingPath)
        @unknown default: return "\(error)"
        }
    }
}
