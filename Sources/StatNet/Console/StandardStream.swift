import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error through C's streams, which report a failed write instead
/// of stopping the process (Foundation's `FileHandle.write` traps on a closed descriptor). A
/// command whose stdout is closed, full or a finished pipe (`| head`) ends with a clear status
/// (`StandardStream.finish`), never a crash.
public enum StandardStream {
    /// Writes `text` to stderr (unbuffered); false when it could not be written, which a
    /// progress line or a note can only accept.
    @discardableResult
    public static func error(_ text: String) -> Bool { statnet_write_stderr(text) == 0 }

    /// Writes `text` to stdout and flushes it (for a line a script waits for); false when it
    /// could not be written.
    @discardableResult
    public static func output(_ text: String) -> Bool { statnet_write_stdout_flushed(text) == 0 }

    /// Points each of descriptors 0, 1 and 2 that is closed at /dev/null, so that no file this
    /// process opens later lands on one of them (a log line would go into the file).
    public static func reserveDescriptors() {
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0, null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
        }
    }

    /// What became of stdout once a command is done: everything written, a reader that went
    /// away (EPIPE, the normal end of `| head`), or a write that failed (a full disk).
    public enum Ending: Equatable {
        case written
        case readerGone
        case failed(reason: String)
    }

    /// Flushes stdout and says whether all that the command printed arrived.
    public static func finish() -> Ending {
        let code = statnet_finish_stdout()
        if code == 0 { return .written }
        if code == EPIPE { return .readerGone }
        return .failed(reason: String(cString: strerror(code)))
    }
}
