import Foundation
import NIOCore

/// Why `statnet serve` cannot listen where it was asked to, in words a user can act on.
public enum ServeAddressError: Error, Equatable, CustomStringConvertible {
    /// Another process listens there (another server, or an earlier `statnet serve`).
    case inUse(host: String, port: Int)
    /// Ports below 1024 need privileges.
    case needsPrivileges(host: String, port: Int)
    /// The host is not an address of this machine, or does not resolve.
    case notLocal(host: String)
    /// Any other reason the system gives.
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .inUse(let host, let port):
            "\(host):\(port) is already in use (another server, or an earlier statnet serve): stop it, or choose another port with --port (--port 0 takes any free one)"
        case .needsPrivileges(let host, let port):
            "\(host):\(port) needs privileges (a port below 1024): choose another with --port"
        case .notLocal(let host):
            "\(host) is not an address of this machine: use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own"
        case .cannotListen(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
        }
    }

    /// The address error behind a failed bind, or nil when `error` is about something else.
    public init?(_ error: any Error, host: String, port: Int) {
        guard let io = error as? IOError else { return nil }
        self.init(errno: io.errnoCode, host: host, port: port)
    }

    init?(errno code: Int32, host: String, port: Int) {
        switch code {
        case EADDRINUSE: self = .inUse(host: host, port: port)
        case EACCES: self = .needsPrivileges(host: host, port: port)
        case EADDRNOTAVAIL: self = .notLocal(host: host)
        default: return nil
        }
    }

    /// Binds `host:port` for a moment and lets it go, so that a busy port is reported before
    /// any slow set-up (training the demo models) rather than after it. Port 0 always binds.
    /// The real bind can still lose a race; its error maps through `init?(_:host:port:)`.
    public static func check(host: String, port: Int) throws {
        guard port != 0 else { return }
        close(try boundSocket(host: host, port: port))
    }

    /// A TCP socket bound to `host:port` with SO_REUSEADDR, as the server binds (a port in
    /// TIME_WAIT counts as free); the caller closes it.
    /// - Throws: the case that names why the address cannot be bound.
    static func boundSocket(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw notLocal(host: host) }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), first.pointee.ai_protocol)
        var reuse: Int32 = 1
        if fd >= 0 { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size)) }
        guard fd >= 0, bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let code = errno
            if fd >= 0 { close(fd) }
            throw ServeAddressError(errno: code, host: host, port: port)
                ?? cannotListen(host: host, port: port, reason: String(cString: strerror(code)))
        }
        return fd
    }
}
