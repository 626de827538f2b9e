import Foundation

/// Writes files whole or not at all: a temporary file in the same folder, then a rename, so a
/// reader (or a crash) never sees half a file.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
        do {
            try data.write(to: temporary)
            try replace(path, with: temporary.path)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// `value` as pretty-printed JSON with sorted keys (non-finite numbers as "nan"/"inf"),
    /// the form of every JSON file the project writes.
    public static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try write(encoder.encode(value), to: path)
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Moves `temporary` onto `path` in one step (rename(2) replaces an existing file atomically).
    public static func replace(_ path: String, with temporary: String) throws {
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot move \(temporary) to \(path): \(String(cString: strerror(errno)))"])
        }
    }
}
