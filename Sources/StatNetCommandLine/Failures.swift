import ArgumentParser
import StatNet

/// A failure at run time (not a usage mistake): printed as "Error: ..." with exit status 1
/// and no usage banner, which is for mistakes in the command line (exit status 64).
public struct RuntimeFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Long work stopped by SIGINT or SIGTERM at a safe point: exit status 128 + signal, as a
/// shell reports a process that the signal ended.
public struct Interrupted: Error, CustomStringConvertible {
    public let signal: Int32
    /// How to continue, in words.
    public let resume: String
    public var description: String { "stopped by signal \(signal) at a safe point; nothing is lost: \(resume)" }
    public var exitCode: ExitCode { ExitCode(128 + signal) }

    public init(signal: Int32, resume: String) {
        self.signal = signal
        self.resume = resume
    }
}
