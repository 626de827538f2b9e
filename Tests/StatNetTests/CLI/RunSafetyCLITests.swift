import Foundation
import XCTest
@testable import StatNet

/// Run folders under a hostile user, through the built tool: two processes, signals, kills at
/// random moments, a full or read-only disk, a FIFO for a data file, odd options.
final class RunSafetyCLITests: XCTestCase {
    var data: String { TestPaths.mnistDirectory }
    let tiny = ["--model", "statnet", "--train-size", "256", "--epochs", "2", "--seed", "3", "--threads", "1"]

    func partialFiles(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(AtomicFile.partialSuffix) }
    }

    /// Waits until `condition` holds (polling), failing after `seconds`.
    func waitUntil(_ seconds: Double, _ what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return XCTFail("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }

    func testSecondProcessInALockedFolderFailsAtOnce() throws {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let lock = try FolderLock(folder: "\(base)/run")
        let r = try CLI.run(["train", "--data", data, "--out", "\(base)/run"] + tiny)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(base)/run is in use by another statnet process (pid \(getpid()))"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Usage:"), "a runtime failure, not a usage mistake: \(r.stderr)")
        let shardLock = try FolderLock(folder: "\(base)/repro", name: ".statnet-shard-1-of-1.lock")
        let q = try CLI.run(["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--out", "\(base)/repro"])
        XCTAssertEqual(q.status, 1, q.stderr)
        XCTAssertTrue(q.stderr.contains("in use by another statnet process"), q.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(base)/repro/runs"), "nothing trained")
        withExtendedLifetime((lock, shardLock)) {}
    }

    /// SIGTERM (a cluster's preemption) stops at the next safe point with exit status 143 and
    /// says how to resume; the resumed run ends as an uninterrupted one.
    func testTerminationStopsSafelyAndResumes() throws {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let args = ["train", "--data", data, "--model", "mlpnet", "--train-size", "3000", "--epochs", "3", "--seed", "4", "--threads", "1"]
        let reference = try CLI.run(args + ["--out", "\(base)/reference"])
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let running = try CLI.start(args + ["--out", "\(base)/run"])
        waitUntil(120, "the first epoch") {
            ((try? String(contentsOfFile: "\(base)/run/epochs.csv", encoding: .utf8))?.split(separator: "\n").count ?? 0) >= 2
        }
        running.signal(SIGTERM)
        let stopped = running.wait()
        XCTAssertEqual(stopped.status, 128 + SIGTERM, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("stopped by signal 15") && stopped.stderr.contains("--resume"), stopped.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(base)/run/result.json"))
        XCTAssertEqual(partialFiles(under: "\(base)/run"), [])
        let resumed = try CLI.run(args + ["--out", "\(base)/run", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: "\(base)/run/model.safetensors"),
                       FileManager.default.contents(atPath: "\(base)/reference/model.safetensors"))
    }

    /// SIGINT during a reproduction: exit 130 after the current run's safe point; the same
    /// command continues and skips what is finished.
    func testInterruptedReproductionContinues() throws {
        _ = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/repro"
        let args = ["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--threads", "1", "--out", out]
        let running = try CLI.start(args)
        waitUntil(120, "a finished run") { FinishedRun.load(from: out).count >= 1 }
        running.signal(SIGINT)
        let stopped = running.wait()
        XCTAssertEqual(stopped.status, 128 + SIGINT, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("run the same command to continue"), stopped.stderr)
        XCTAssertEqual(partialFiles(under: out), [])
        let again = try CLI.run(args)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("finished, skipped"), again.stderr)
        XCTAssertEqual(FinishedRun.load(from: out).count, 4)
    }

    /// 30 runs killed with SIGKILL at random moments (checkpoint writes included), each resumed:
    /// each ends byte for byte as the uninterrupted run, with no temporary file left, and its
    /// result.json is what the saved model gives.
    func testKillAnywhereThenResume() throws {
        let mnist = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let start = Date()
        let reference = try CLI.run(["train", "--data", data, "--out", "\(base)/reference"] + tiny)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        // How long a run takes, for drawing kill times inside it; shortened whenever a run ends
        // before its kill (the machine got faster: other work on it ended).
        var duration = Date().timeIntervalSince(start)
        func file(_ dir: String, _ name: String) -> Data? { FileManager.default.contents(atPath: "\(dir)/\(name)") }
        func withoutSeconds(_ dir: String) -> [String] {
            ((try? String(contentsOfFile: "\(dir)/epochs.csv", encoding: .utf8)) ?? "").split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        }
        let referenceResult = try JSONSerialization.jsonObject(with: XCTUnwrap(file("\(base)/reference", "result.json"))) as? [String: Any]
        var rng = SplitMix64(seed: 2026)
        var killedBeforeTheEnd = 0
        for i in 0..<30 {
            let dir = "\(base)/run\(i)"
            let started = Date()
            let running = try CLI.start(["train", "--data", data, "--out", dir] + tiny)
            usleep(UInt32((0.05 + Double(rng.nextUnitFloat()) * duration) * 1_000_000))
            running.signal(SIGKILL)
            let killed = running.wait()
            if killed.status == SIGKILL { killedBeforeTheEnd += 1 } else { duration = min(duration, Date().timeIntervalSince(started) * 0.9) }
            let resumed = try CLI.run(["train", "--data", data, "--out", dir, "--resume"] + tiny)
            XCTAssertEqual(resumed.status, 0, "run \(i): \(resumed.stderr)")
            for name in ["model.safetensors", "state.safetensors", "train_log.csv"] {
                XCTAssertEqual(file(dir, name), file("\(base)/reference", name), "run \(i): \(name)")
            }
            XCTAssertEqual(withoutSeconds(dir), withoutSeconds("\(base)/reference"), "run \(i): epochs.csv")
            XCTAssertEqual(partialFiles(under: dir), [], "run \(i)")
            let result = try JSONSerialization.jsonObject(with: XCTUnwrap(file(dir, "result.json"))) as? [String: Any]
            XCTAssertEqual(result?["test_acc"] as? Double, referenceResult?["test_acc"] as? Double, "run \(i)")
            let evaluated = try TrainedModel(folder: dir).evaluate(indices: Array(0..<mnist.test.count), of: mnist.test, threads: 1)
            XCTAssertEqual(evaluated.accuracy, result?["test_acc"] as? Double, "run \(i): result.json is the saved model's")
        }
        XCTAssertGreaterThanOrEqual(killedBeforeTheEnd, 15, "at least half the kills landed before the run ended")
    }

    func testExitCodesAndMessages() throws {
        let missing = try CLI.run(["report", "/nonexistent-folder"])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("not a reproduction folder"), missing.stderr)
        XCTAssertFalse(missing.stderr.contains("Usage:"), missing.stderr)
        let negative = try CLI.run(["train", "--epochs", "-1", "--out", "/tmp/x"])
        XCTAssertEqual(negative.status, 64, "a usage mistake")
        XCTAssertTrue(negative.stderr.contains("--epochs must be at least 1 (got -1)"), negative.stderr)
        let dropout = try CLI.run(["train", "--dropout", "1.5", "--out", "/tmp/x"])
        XCTAssertEqual(dropout.status, 64)
        XCTAssertTrue(dropout.stderr.contains("--dropout must be at least 0 and below 1"), dropout.stderr)
    }

    /// A quick reproduction's folder does not take the full plan: refused before training.
    func testAnotherPlanInTheSameFolderIsRefused() throws {
        _ = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/repro"
        let quick = try CLI.run(["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--out", out])
        XCTAssertEqual(quick.status, 0, quick.stderr)
        let full = try CLI.run(["reproduce", "--data", data, "--preset", "physics", "--sizes", "100", "--out", out])
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("holds a reproduction with other settings") && full.stderr.contains("epochs 1 here, 20 asked"), full.stderr)
        XCTAssertTrue(full.stderr.contains("reports/quick"), "says the way out: \(full.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/runs/physics-statnet-n55000-s0"), "nothing trained")
    }

    /// A FIFO named as a data file is refused before it is opened (it would block forever).
    func testFIFOInsteadOfADataFileIsRefused() throws {
        _ = try SharedMNIST.get()
        let dir = try temporaryDirectory(self)
        for name in MNIST.fileNames where name != "t10k-labels-idx1-ubyte" {
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(name).gz", withDestinationPath: "\(data)/\(name).gz")
        }
        XCTAssertEqual(mkfifo("\(dir)/t10k-labels-idx1-ubyte.gz", 0o644), 0)
        let r = try CLI.run(["data", "verify", "--data", dir])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("t10k-labels-idx1-ubyte.gz: is a FIFO (named pipe), expected an IDX file"), r.stdout)
    }

    /// A full disk and a read-only disk, on small tmpfs mounts made for the test (root only):
    /// a clear error naming the file and the fix, exit status 1, no half-written file.
    func testFullAndReadOnlyDisks() throws {
        _ = try SharedMNIST.get()
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let mountPoint = try temporaryDirectory(self) + "/disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        func mount(_ options: String) -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/mount")
            p.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", mountPoint]
            try? p.run()
            p.waitUntilExit()
            return p.terminationStatus == 0
        }
        func unmount() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/umount")
            p.arguments = [mountPoint]
            try? p.run()
            p.waitUntilExit()
        }
        guard mount("size=2m") else { throw XCTSkip("this machine does not allow mounting a tmpfs") }
        defer { unmount() }
        let full = try CLI.run(["train", "--data", data, "--out", "\(mountPoint)/run"] + tiny)
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("the disk is full"), full.stderr)
        XCTAssertTrue(full.stderr.contains("\(mountPoint)/run/"), "names the file: \(full.stderr)")
        XCTAssertFalse(full.stderr.contains("NSCocoaErrorDomain"), full.stderr)
        XCTAssertEqual(partialFiles(under: mountPoint), [])
        unmount()
        guard mount("ro,size=2m") else { throw XCTSkip("this machine does not allow a read-only tmpfs") }
        let readOnly = try CLI.run(["train", "--data", data, "--out", "\(mountPoint)/run"] + tiny)
        XCTAssertEqual(readOnly.status, 1, readOnly.stderr)
        XCTAssertTrue(readOnly.stderr.contains("read-only"), readOnly.stderr)
    }
}
