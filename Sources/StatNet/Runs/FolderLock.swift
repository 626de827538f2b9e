import Foundation

/// An exclusive lock on a folder for as long as this value lives: `flock` on a lock file in
/// it, which the kernel releases when the process ends, however it ends, so a lock left by a
/// dead process never blocks. The file holds the holder's process id for the message.
public final class FolderLock {
    public static let fileName = ".statnet.lock"
    public let folder: String
    /// The lock file's name in the folder (several locks may share one folder: a job array's shards).
    public let name: String
    private let descriptor: Int32

    public enum LockError: Error, CustomStringConvertible, Equatable, Sendable {
        /// Another process holds the folder (its id, when it could be read).
        case busy(folder: String, holder: Int32?)
        case cannotLock(folder: String, reason: String)

        public var description: String {
            switch self {
            case let .busy(folder, holder):
                "\(folder) is in use by another statnet process" + (holder.map { " (pid \($0))" } ?? "")
                    + ": two runs in one folder would mix their files. Wait for it to finish, stop it, or choose another --out"
            case let .cannotLock(folder, reason):
                "\(folder): cannot take its lock file (\(reason))"
            }
        }
    }

    /// Whether `name` is one of this tool's lock files.
    public static func isLockFile(_ name: String) -> Bool { name.hasPrefix(".statnet") && name.hasSuffix(".lock") }

    /// Takes the lock at once or throws `.busy` (with `waiting`, waits for it: for locks held
    /// only for moments); creates the folder if needed.
    public init(folder: String, name: String = FolderLock.fileName, waiting: Bool = false) throws {
        try AtomicFile.createDirectory(folder)
        let path = Path.join(folder, name)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LockError.cannotLock(folder: folder, reason: String(cString: strerror(errno))) }
        guard flock(fd, waiting ? LOCK_EX : LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buffer, buffer.count)
            close(fd)
            if reason == EWOULDBLOCK {
                let text = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw LockError.busy(folder: folder, holder: Int32(text))
            }
            throw LockError.cannotLock(folder: folder, reason: String(cString: strerror(reason)))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        self.folder = folder
        self.name = name
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
