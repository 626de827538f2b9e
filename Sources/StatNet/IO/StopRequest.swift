import CKernels

/// A request to stop long work at its next safe point: the first SIGINT (Ctrl-C) or SIGTERM
/// (a cluster's preemption) sets it; a second one ends the process at once.
public enum StopRequest {
    /// Installs the handlers (the command-line tool does, at start).
    public static func installSignalHandlers() { statnet_install_stop_handlers() }

    /// The signal received (SIGINT 2, SIGTERM 15), or nil.
    public static var signal: Int32? {
        let s = statnet_stop_signal()
        return s == 0 ? nil : s
    }

    public static var isRequested: Bool { signal != nil }

    /// Throws `Stopped` when a stop was asked for: the check long work makes at each safe point.
    public static func check() throws {
        if let signal { throw Stopped(signal: signal) }
    }

    /// Long work that ended early because a stop was asked for (what was kept is the caller's to say).
    public struct Stopped: Error, CustomStringConvertible, Equatable, Sendable {
        public let signal: Int32
        public var description: String { "stopped by signal \(signal)" }
    }
}
