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
