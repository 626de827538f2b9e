import ArgumentParser
import StatNet

/// A failure at run time (not a usage mistake): printed as "Error: ..." with exit status 1
/// and no usage banner, which is for mistakes in the command line (exit status 64).
struct RuntimeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Long work stopped by SIGINT or SIGTERM at a safe point: exit status 128 + signal, as a
/// shell reports a process that the signal ended.
struct Interrupted: Error, CustomStringConvertible {
    let signal: Int32
    /// How to continue, in words.
    let resume: String
    var description: String { "stopped by signal \(signal) at a safe point; nothing is lost: \(resume)" }
    var exitCode: ExitCode { ExitCode(128 + signal) }
}
