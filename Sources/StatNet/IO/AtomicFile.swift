import Foundation

/// Writes files whole or not at all: a temporary file in the same folder, flushed to the disk
/// (fsync), then renamed over the target, then the folder flushed, so neither a reader nor a
/// crash nor a power cut ever sees half a file, and a file reported written is on the disk.
public enum AtomicFile {
    /// The temporary files' suffix: `.<name>.<pid>.partial`. A crash can leave one behind;
    /// `removeStalePartials(in:)` cleans them.
    static let partialSuffix = ".partial"

    public static func write(_ data: Data, to path: String) throws {
        let stream = try Stream(path: path)
        try stream.append(data)
        try stream.commit()
    }

    /// `value` in `JSONFormat`, the form of every JSON file the project writes, with a final newline.
    public static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        try write(JSONFormat.encode(value) + Data("\n".utf8), to: path)
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Moves `temporary` onto `path` in one step (rename(2) replaces an existing file atomically).
    static func replace(_ path: String, with temporary: String) throws {
        guard rename(temporary, path) == 0 else { throw FileWriteError(path: path, errno: errno) }
    }

    /// Creates `directory` and its parents; a clear error when a file is in the way or the
    /// disk refuses.
    static func createDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileWriteError.badFolder(path: directory, reason: "it is a file, not a folder") }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try createDirectory(parent) }
        if mkdir(directory, 0o755) != 0, errno != EEXIST { throw FileWriteError(path: directory, errno: errno) }
    }

    /// Removes the temporary files a killed writer left in `directory` (any process's: call
    /// it only while holding the folder's lock). Returns their names.
    @discardableResult
    static func removeStalePartials(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let stale = names.filter { $0.hasPrefix(".") && $0.hasSuffix(partialSuffix) }
        for name in stale { unlink((directory as NSString).appendingPathComponent(name)) }
        return stale
    }

    /// Removes the temporary files of `path` that writers which no longer run left behind
    /// (`.<name>.<pid>.partial` whose process is gone), for a writer that holds no folder lock.
    /// Returns their names.
    @discardableResult
    static func removeAbandonedPartials(of path: String) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        let prefix = "." + name + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let abandoned = names.filter { entry in
            guard entry.hasPrefix(prefix), entry.hasSuffix(partialSuffix),
                  let pid = Int32(entry.dropFirst(prefix.count).dropLast(partialSuffix.count)) else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        for entry in abandoned { unlink(Path.join(directory, entry)) }
        return abandoned
    }

    /// A file written in pieces that appears at its path only when `commit()` is called (a
    /// temporary file, flushed and renamed then); dropped without a commit, it leaves nothing.
    final class Stream {
        let path: String
        private let temporary: String
        private let fd: Int32
        private var done = false

        init(path: String) throws {
            self.path = path
            let directory = (path as NSString).deletingLastPathComponent
            try AtomicFile.createDirectory(directory.isEmpty ? "." : directory)
            temporary = ((directory.isEmpty ? "." : directory) as NSString)
                .appendingPathComponent(".\((path as NSString).lastPathComponent).\(getpid())\(AtomicFile.partialSuffix)")
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FileWriteError(path: path, errno: errno) }
        }

        func append(_ data: Data) throws {
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileWriteError(path: path, errno: errno)
                    }
                    offset += n
                }
            }
        }

        func commit() throws {
            guard fsync(fd) == 0 else { throw FileWriteError(path: path, errno: errno) }
            close(fd)
            done = true
            do { try AtomicFile.replace(path, with: temporary) } catch {
                unlink(temporary)   // a failed rename must not leave the whole file behind
                throw error
            }
            AtomicFile.syncDirectory((path as NSString).deletingLastPathComponent)
        }

        deinit {
            if !done {
                close(fd)
                unlink(temporary)
            }
        }
    }

    /// Flushes a folder's entries (the rename) to the disk; best effort, as some file systems
    /// refuse fsync on a folder.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
