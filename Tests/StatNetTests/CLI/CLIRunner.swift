import Foundation
import XCTest

/// Runs the built `statnet` executable (it sits beside the test bundle) and captures its output.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLI {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("statnet")
    }

    struct NotBuilt: Error, CustomStringConvertible {
        let path: String
        var description: String { "statnet is not built at \(path): run the tests with `swift test`, which builds it" }
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], currentDirectory: String? = nil) throws -> CLIResult {
        try start(arguments, environment: environment, currentDirectory: currentDirectory).wait()
    }

    /// Starts the tool without waiting (to signal it, or to run two at once).
    static func start(_ arguments: [String], environment: [String: String] = [:], currentDirectory: String? = nil) throws -> Running {
        try launch(executable, arguments, environment: environment, currentDirectory: currentDirectory)
    }

    /// Starts `command` through `sh -c` (for redirections and ulimit), with the tool as `$STATNET`.
    static func startShell(_ command: String, currentDirectory: String? = nil) throws -> Running {
        try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", command], environment: ["STATNET": executable.path], currentDirectory: currentDirectory)
    }

    /// Runs `program` with this process's environment plus `environment`, both output streams captured.
    private static func launch(_ program: URL, _ arguments: [String], environment: [String: String], currentDirectory: String?) throws -> Running {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw NotBuilt(path: executable.path)
        }
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while it runs, so a chatty process cannot block on a full pipe.
        return Running(process: process, out: PipeReader(out.fileHandleForReading), err: PipeReader(err.fileHandleForReading))
    }

    /// A started tool.
    struct Running {
        let process: Process
        let out: PipeReader
        let err: PipeReader

        func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

        func wait() -> CLIResult {
            let outData = out.wait(), errData = err.wait()
            process.waitUntilExit()
            return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
        }
    }
}

/// Drains a pipe on a background thread.
final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
