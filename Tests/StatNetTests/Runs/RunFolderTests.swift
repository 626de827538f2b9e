import Foundation
import XCTest
@testable import StatNet

/// Run folders that cannot lie (issue 9): commit order and repair, locks, other people's
/// files, values read from checkpoints, thread count, leftover temporary files.
final class RunFolderTests: XCTestCase {
    func tinyConfig(epochs: Int = 2, threads: Int = 1) -> TrainingConfig {
        var c = TrainingConfig(model: .statnet, preset: .physics)
        c.trainSize = 256
        c.validationSize = 200
        c.epochs = epochs
        c.seed = 5
        c.threads = threads
        return c
    }

    @discardableResult
    func train(_ config: TrainingConfig, _ out: String, _ mode: RunFolder.Mode = .new) throws -> TrainingResult {
        try RunFolder.train(config: config, out: out, mode: mode, data: { try SharedMNIST.get() }, observers: [])
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// A stop between the last state write and the model write (or a lost model) is repaired
    /// on resume from the state, and result.json, written last, is the saved model's result.
    func testResumeRepairsAMissingOrOlderModelAndTheResultMatchesIt() throws {
        let mnist = try SharedMNIST.get()
        let reference = try temporaryDirectory(self) + "/reference"
        let expected = try train(tinyConfig(), reference)
        for damage in ["older model", "no model"] {
            let dir = try temporaryDirectory(self) + "/run"
            try train(tinyConfig(epochs: 1), dir)
            let epoch1Model = try XCTUnwrap(bytes(Path.join(dir, RunFiles.model)))
            try train(tinyConfig(), dir, .resume)
            // What a kill right after the epoch-2 state write leaves: no result, an older or no model.
            unlink(Path.join(dir, RunFiles.result))
            if damage == "older model" { try epoch1Model.write(to: URL(fileURLWithPath: Path.join(dir, RunFiles.model))) }
            else { unlink(Path.join(dir, RunFiles.model)) }
            XCTAssertNil(RunFolder.finishedResult(in: dir, config: tinyConfig()), "not finished without its result")
            let repaired = try train(tinyConfig(), dir, .resume)
            XCTAssertEqual(bytes(Path.join(dir, RunFiles.model)), bytes(Path.join(reference, RunFiles.model)), damage)
            XCTAssertEqual(repaired.testAccuracy, expected.testAccuracy, damage)
            let evaluated = try TrainedModel(folder: dir).evaluate(indices: Array(0..<mnist.test.count), of: mnist.test, threads: 1)
            XCTAssertEqual(evaluated.accuracy, repaired.testAccuracy, "result.json is the saved model's (\(damage))")
        }
        // A result whose model was deleted does not count as finished.
        unlink(Path.join(reference, RunFiles.model))
        XCTAssertNil(RunFolder.finishedResult(in: reference, config: tinyConfig()))
    }

    /// A second writer fails at once and names the holder; a lock file left by a dead process
    /// does not block (the kernel released its flock).
    func testLockedFolderRefusesASecondWriter() throws {
        let dir = try temporaryDirectory(self) + "/run"
        var lock: FolderLock? = try FolderLock(folder: dir)
        XCTAssertThrowsError(try train(tinyConfig(epochs: 1), dir)) { error in
            guard case FolderLock.LockError.busy(let folder, let holder) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(folder, dir)
            XCTAssertEqual(holder, getpid())
            XCTAssertTrue("\(error)".contains("in use by another statnet process (pid \(getpid()))"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [FolderLock.fileName], "nothing written")
        lock = nil
        // The lock file stays, holding a pid; nobody holds the flock: training goes ahead.
        try "999999\n".write(toFile: Path.join(dir, FolderLock.fileName), atomically: false, encoding: .utf8)
        XCTAssertNoThrow(try train(tinyConfig(epochs: 1), dir))
        XCTAssertNil(lock)
    }

    /// Nothing a user made is overwritten: a folder of other files, a foreign config.json, a
    /// file given as the folder, a finished run without its state.
    func testOtherFilesAndFinishedRunsAreNotOverwritten() throws {
        let base = try temporaryDirectory(self)
        for (name, files) in [("notes", ["notes.txt": "my notes"]), ("foreign-config", ["config.json": "{\"learning\": \"mine\"}", "epochs.csv": "a,b\n"])] {
            let dir = "\(base)/\(name)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (file, text) in files { try text.write(toFile: "\(dir)/\(file)", atomically: true, encoding: .utf8) }
            for mode in [RunFolder.Mode.new, .resume, .overwrite] {
                XCTAssertThrowsError(try train(tinyConfig(epochs: 1), dir, mode)) { error in
                    guard case RunFolderError.notARunFolder(let folder, _) = error else { return XCTFail("\(error)") }
                    XCTAssertEqual(folder, dir)
                }
            }
            XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), Set(files.keys), "untouched, not even a lock file")
            for (file, text) in files { XCTAssertEqual(try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8), text) }
        }
        XCTAssertThrowsError(try train(tinyConfig(epochs: 1), "/")) { XCTAssertTrue("\($0)".contains("not a statnet run folder"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/" + FolderLock.fileName))
        try "x".write(toFile: "\(base)/file", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try train(tinyConfig(epochs: 1), "\(base)/file"))

        // A finished run: kept as it is; without its state it is not retrained over unless asked.
        let run = "\(base)/run"
        let first = try train(tinyConfig(epochs: 1), run)
        XCTAssertThrowsError(try train(tinyConfig(epochs: 1), run)) { error in
            guard case RunFolderError.holdsRun = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("--resume") && "\(error)".contains("--overwrite"), "\(error)")
        }
        XCTAssertEqual(try train(tinyConfig(epochs: 1), run, .resume), first, "a finished run is returned, not retrained")
        unlink(Path.join(run, RunFiles.state))
        let model = bytes(Path.join(run, RunFiles.model))
        XCTAssertThrowsError(try train(tinyConfig(epochs: 2), run, .resume)) { error in
            guard case RunFolderError.noStateToResume = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(bytes(Path.join(run, RunFiles.model)), model, "the model is still there")
        XCTAssertNoThrow(try train(tinyConfig(epochs: 2), run, .overwrite))
        XCTAssertEqual(try Checkpoint.loadState(from: Path.join(run, RunFiles.state)).completedEpochs, 2)
    }

    /// The thread count is not part of a run's identity: a run resumed with other threads
    /// ends as the uninterrupted one.
    func testResumeWithAnotherThreadCount() throws {
        let whole = try temporaryDirectory(self) + "/whole", parts = try temporaryDirectory(self) + "/parts"
        try train(tinyConfig(threads: 2), whole)
        try train(tinyConfig(epochs: 1, threads: 1), parts)
        try train(tinyConfig(threads: 2), parts, .resume)
        XCTAssertEqual(bytes(Path.join(whole, RunFiles.model)), bytes(Path.join(parts, RunFiles.model)))
    }

    /// Temporary files a killed writer left behind are removed when the folder is next used.
    func testStalePartialFilesAreRemoved() throws {
        let dir = try temporaryDirectory(self) + "/run"
        try train(tinyConfig(epochs: 1), dir)
        let stale = Path.join(dir, ".model.safetensors.424242\(AtomicFile.partialSuffix)")
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data(count: 1000)))
        try train(tinyConfig(), dir, .resume)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(AtomicFile.partialSuffix) }, [])
    }
}
