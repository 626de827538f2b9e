import Foundation

/// Reading a whole file that must be a regular file: a folder, a FIFO (which would block a
/// reader forever) or a device is refused before it is opened, and the size is capped before
/// anything is allocated.
public enum RegularFile {
    public enum ReadError: Error, Equatable, Sendable {
        case missing
        /// What it is instead ("a folder", "a FIFO", ...).
        case notRegular(String)
        case unreadable(String)
        case tooLarge(size: Int, maximum: Int)
    }

    /// Checks that `path` is a regular file and returns its size.
    public static func size(_ path: String) throws(ReadError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missing }
            throw .unreadable(String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return Int(info.st_size)
        case S_IFDIR: throw .notRegular("a folder")
        case S_IFIFO: throw .notRegular("a FIFO (named pipe)")
        case S_IFCHR, S_IFBLK: throw .notRegular("a device")
        case S_IFSOCK: throw .notRegular("a socket")
        default: throw .notRegular("not a regular file")
        }
    }

    /// The bytes of the regular file at `path`, at most `maximumBytes` of them.
    public static func read(_ path: String, maximumBytes: Int) throws(ReadError) -> [UInt8] {
        let expected = try size(path)
        guard expected <= maximumBytes else { throw .tooLarge(size: expected, maximum: maximumBytes) }
        return try readPrefix(path, count: expected)   // fewer when the file shrank while being read
    }

    /// The first `count` bytes of the regular file at `path` (fewer when it is shorter).
    public static func readPrefix(_ path: String, count: Int) throws(ReadError) -> [UInt8] {
        _ = try size(path)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + done, count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
        return Array(bytes[0..<done])
    }
}
