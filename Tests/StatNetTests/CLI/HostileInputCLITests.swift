import Foundation
import XCTest
@testable import StatNet

/// Hostile use, round two, through the built tool: work sized by an option is bounded before
/// it starts, a stop signal ends long work with its status, closed or full output streams end
/// a command cleanly, and no command writes into a folder or file that is not its own.
final class HostileInputCLITests: XCTestCase {
    var data: String { TestPaths.mnistDirectory }

    /// Runs `command` through `sh -c` (for redirections the tool itself must survive).
    func shell(_ command: String) throws -> CLIResult { try CLI.startShell(command).wait() }

    /// A small trained run folder (once per test that needs one).
    func trainedRun() throws -> String {
        _ = try SharedMNIST.get()
        let dir = try temporaryDirectory(self) + "/run"
        let r = try CLI.run(["train", "--data", data, "--out", dir, "--model", "statnet", "--train-size", "256", "--epochs", "1", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return dir
    }

    /// Each option that sizes work has a limit, named in the message, checked before any work
    /// (each of these returns at once, as a usage mistake).
    func testWorkIsBoundedBeforeItStarts() throws {
        let out = try temporaryDirectory(self) + "/r"
        let cases: [([String], String)] = [
            (["reproduce", "--quick", "--seeds", "9223372036854775807", "--out", out], "--seeds must be in 1...1000 (got 9223372036854775807)"),
            (["reproduce", "--quick", "--small-size-seeds", "100000", "--out", out], "--small-size-seeds must be in 1...1000"),
            (["reproduce", "--seeds", "10000000", "--out", out], "--seeds must be in 1...1000"),
            (["reproduce", "--shard", "1000000/1000000", "--out", out], "1 <= K <= N <= 100000 (got 1000000/1000000)"),
            (["reproduce", "--quick", "--sizes", "5000,5000,100,100", "--out", out], "--sizes lists 100, 5000 more than once"),
            (["reproduce", "--quick", "--epochs", "1000000000", "--out", out], "--epochs must be in 1...100000"),
            (["reproduce", "--quick", "--out", ""], "--out must not be empty"),
            (["train", "--out", "", "--epochs", "1"], "--out must not be empty"),
            (["train", "--out", out, "--seed", "-1"], "'-1' is invalid for '--seed"),
            (["bench", "train", "--steps", "999999999999"], "--steps must be in 1...1000000"),
            (["bench", "train", "--batch", "100000000"], "--batch must be in 1...4096"),
            (["features", "export", "--out", ""], "--out must not be empty"),
            (["report", "--out", "", out], "--out must not be empty"),
        ]
        for (arguments, message) in cases {
            let start = Date()
            let r = try CLI.run(arguments)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(arguments): \(r.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(start), 10, "\(arguments): refused before any work")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing was written")
        let predict = try CLI.run(["predict", "--checkpoint", out])
        XCTAssertEqual(predict.status, 64)
        XCTAssertTrue(predict.stderr.contains("nothing to classify: give image files, or --split with --index"), predict.stderr)
    }

    /// `report --out` and `reproduce` write only into folders this tool made (a plan.json or a
    /// report of its own), never into one that merely has a `runs/` subfolder; `features export`
    /// never replaces a device, a FIFO or a file it did not make. Each refusal comes before any
    /// work and leaves the target as it was.
    func testFoldersAndFilesThatAreNotOursAreLeftAlone() throws {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let foreign = "\(base)/thesis"
        try FileManager.default.createDirectory(atPath: "\(foreign)/runs", withIntermediateDirectories: true)
        try Data("my own report".utf8).write(to: URL(fileURLWithPath: "\(foreign)/report.md"))
        let quick = "\(base)/quick"
        let made = try CLI.run(["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--out", quick])
        XCTAssertEqual(made.status, 0, made.stderr)
        for arguments in [["report", "--data", data, quick, "--out", foreign], ["report", "--data", data, foreign],
                          ["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--out", foreign]] {
            let r = try CLI.run(arguments)
            XCTAssertEqual(r.status, 1, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("\(foreign) is not empty and is not a reproduction folder"), "\(arguments): \(r.stderr)")
            XCTAssertEqual(try String(contentsOfFile: "\(foreign)/report.md", encoding: .utf8), "my own report", "\(arguments)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: foreign).sorted(), ["report.md", "runs"], "\(arguments)")
        }
        // A report into a new folder, then again into it (ours now), is fine.
        for _ in 0..<2 {
            let r = try CLI.run(["report", "--data", data, quick, "--out", "\(base)/copy"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }

        let fifo = "\(base)/fifo", notes = "\(base)/notes.safetensors"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        symlink("/dev/null", "\(base)/null.safetensors")
        try Data("not an export".utf8).write(to: URL(fileURLWithPath: notes))
        try FileManager.default.createDirectory(atPath: "\(base)/folder.safetensors", withIntermediateDirectories: true)
        let exports: [(String, String, String)] = [
            ("safetensors", fifo, "it is a FIFO"), ("safetensors", "\(base)/null.safetensors", "it is a device"),
            ("safetensors", notes, "the file exists and is not a feature export (safetensors) this tool wrote"),
            ("safetensors", "\(base)/folder.safetensors", "it is a folder"), ("safetensors", "/", "it is the root folder"), ("npy", notes, "it is a file, not a folder"),
        ]
        for (format, target, reason) in exports {
            let r = try CLI.run(["features", "export", "--data", data, "--format", format, "--split", "test", "--out", target])
            XCTAssertEqual(r.status, 1, "\(target): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("will not write there: \(reason)"), "\(target): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("features export:"), "\(target): refused before computing anything")
        }
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "not an export")
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
        // An export of our own is replaced.
        let export = "\(base)/features.safetensors"
        for _ in 0..<2 {
            let r = try CLI.run(["features", "export", "--data", data, "--format", "safetensors", "--split", "test", "--out", export])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
    }

    /// Closed descriptors are reserved at start: no progress line lands in a run's files. A
    /// full stdout is an error with EX_IOERR (74); a reader that went away ends quietly.
    func testClosedOrFullOutputStreams() throws {
        let run = try trainedRun()
        let closed = try temporaryDirectory(self) + "/closed"
        let r = try shell("exec \"$STATNET\" train --data '\(data)' --out '\(closed)' --train-size 256 --epochs 2 --threads 1 >&- 2>&-")
        XCTAssertEqual(r.status, 0, r.stderr)
        let epochs = try String(contentsOfFile: "\(closed)/epochs.csv", encoding: .utf8)
        XCTAssertEqual(epochs.split(separator: "\n").count, 3, "the header and two epochs, nothing else: \(epochs)")
        XCTAssertEqual(EpochSummary.rows(in: epochs).count, 2)
        let full = try shell("\"$STATNET\" predict --checkpoint '\(run)' --split test --index 0 --data '\(data)' --json > /dev/full")
        XCTAssertEqual(full.status, 74, full.stderr)
        XCTAssertTrue(full.stderr.contains("cannot write to standard output: No space left on device"), full.stderr)
        let gone = try shell("\"$STATNET\" features --index 0 --data '\(data)' --format csv | head -c 10 >/dev/null")
        XCTAssertEqual(gone.status, 0, "head's status; the tool ends quietly: \(gone.stderr)")
        XCTAssertEqual(gone.stderr, "", "no crash, no message for a reader that went away")
    }

    /// SIGINT and SIGTERM end long work within seconds with status 130 or 143 and leave no
    /// partial file; nothing exits 0 after a stop.
    func testStopSignalsEndLongWork() throws {
        let run = try trainedRun()
        let base = try temporaryDirectory(self)
        let commands: [([String], Int32, Double)] = [
            (["features", "export", "--data", data, "--split", "all", "--out", "\(base)/export"], SIGINT, 1.5),
            (["bench", "train", "--data", data, "--steps", "1000000", "--threads", "1"], SIGINT, 3),
            (["evaluate", "--data", data, "--checkpoint", run, "--threads", "1"], SIGTERM, 0.5),
        ]
        for (arguments, signal, after) in commands {
            let running = try CLI.start(arguments)
            usleep(useconds_t(after * 1e6))
            let sent = Date()
            running.signal(signal)
            let r = running.wait()
            XCTAssertEqual(r.status, 128 + signal, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("stopped by signal \(signal)"), "\(arguments): \(r.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(sent), 5, "\(arguments): stopped promptly")
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: "\(base)/export")) ?? []
        XCTAssertEqual(left, [], "no features.npy, labels.npy or .partial file")
    }

    /// `data download` from a mirror that never answers stops at Ctrl-C.
    func testDownloadStopsAtASignal() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", TestPaths.fixtures.appendingPathComponent("mnist_server.py").path, TestPaths.mnistDirectory]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw XCTSkip("the local test server did not start") }
        let dir = try temporaryDirectory(self)
        let running = try CLI.start(["data", "download", "--data", dir, "--mirror", "http://127.0.0.1:\(port)/silent/"])
        usleep(1_000_000)
        let sent = Date()
        running.signal(SIGINT)
        let r = running.wait()
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(sent), 3)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".statnet") }, [])
    }

    /// A damaged `spec.json` is named by `report` and written again by `reproduce` (ids that are
    /// paths: FolderTrustTests; swapped model files: ServerRoutesTests.testModelChoice).
    func testDamagedRunFilesAreReportedAndRepaired() throws {
        _ = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/quick"
        let args = ["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--out", out]
        XCTAssertEqual(try CLI.run(args).status, 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: "\(out)/runs").sorted()
        let victim = "\(out)/runs/\(runs[0])/spec.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: victim))
        try original.prefix(30).write(to: URL(fileURLWithPath: victim))
        let report = try CLI.run(["report", "--data", data, out])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stderr.contains("left out \(victim): cannot be read"), report.stderr)
        XCTAssertTrue(try String(contentsOfFile: "\(out)/report.md", encoding: .utf8).contains(victim))
        let again = try CLI.run(args)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("\(victim) could not be read; written again from the plan"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: victim)), original)
        XCTAssertTrue(again.stdout.contains(": \(runs.count) finished runs"), again.stdout)
    }

    /// Two reproductions with different plans and shard counts started at once into one folder:
    /// whichever way they interleave, each either finishes or names the run the other holds, and
    /// the folder stays one that both accept (its plan the join of the two), never one both refuse.
    func testTwoPlansStartedAtOnce() throws {
        _ = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/race"
        let common = ["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--threads", "1", "--out", out]
        let first = common + ["--shard", "1/2"], second = common + ["--seeds", "2", "--shard", "1/3"]
        let (a, b) = (try CLI.start(first), try CLI.start(second))
        for r in [a.wait(), b.wait()] {
            XCTAssertTrue(r.status == 0 || (r.status == 1 && r.stderr.contains("is in use by another statnet process")), r.stderr)
        }
        XCTAssertEqual(try CLI.run(first).status, 0)
        let all = try CLI.run(common + ["--seeds", "2"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains(": 8 finished runs"), all.stdout)
    }
}
