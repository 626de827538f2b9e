import Foundation

/// Checks, before any work, that a command may write its output where it was told: never an
/// empty path or the root, never over something that is not a regular file (a device node, a
/// FIFO, a folder where a file goes), and never over a file this tool did not make.
public enum OutputTarget {
    /// A file `path` that the command will write whole (replacing an earlier one of its own).
    /// - Parameters:
    ///   - isOurs: whether an existing regular file at `path` is one this tool wrote (read its
    ///     header, say); only then is it replaced.
    ///   - what: the kind of file, for the message ("a feature export").
    public static func checkFile(_ path: String, what: String, isOurs: (String) -> Bool) throws {
        try checkPath(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw FileWriteError(path: path, errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FileWriteError.refused(path: path, reason: "it is \(kind(of: info.st_mode)), not a file; give the path of \(what)")
        }
        guard isOurs(path) else {
            throw FileWriteError.refused(path: path, reason: "the file exists and is not \(what) this tool wrote; choose another path or remove it")
        }
    }

    /// A folder `path` that the command fills with `names` (creating it when missing): refused
    /// when it exists as something else than a folder; each existing `names` entry must be ours.
    public static func checkFolder(_ path: String, names: [String], what: String, isOurs: (String) -> Bool) throws {
        try checkPath(path)
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            throw FileWriteError.refused(path: path, reason: "it is \(kind(of: info.st_mode)), not a folder; \(what) is a folder")
        }
        for name in names { try checkFile(Path.join(path, name), what: what, isOurs: isOurs) }
    }

    private static func checkPath(_ path: String) throws {
        guard !path.isEmpty else { throw FileWriteError.refused(path: path, reason: "the path is empty") }
        guard path.contains(where: { $0 != "/" }) else { throw FileWriteError.refused(path: path, reason: "it is the root folder") }
    }

    /// "a device", "a FIFO", ... for a file type from `stat`.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a file"
        case S_IFDIR: "a folder"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}
