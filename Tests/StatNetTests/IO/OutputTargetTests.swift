import Foundation
import XCTest
@testable import StatNet

/// Where a command may write: never an empty path, the root, a device, a FIFO, a folder where a
/// file goes, or a file it did not make; and the temporary files of dead writers are removed.
final class OutputTargetTests: XCTestCase {
    func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as FileWriteError {
            guard case .refused = error else { return "not a refusal: \(error)" }
            return "\(error)"
        } catch { return "not a FileWriteError: \(error)" }
        return nil
    }

    func testFileTargets() throws {
        let dir = try temporaryDirectory(self)
        let ours = "\(dir)/ours.bin", theirs = "\(dir)/theirs.txt", fifo = "\(dir)/fifo"
        try Data("ours".utf8).write(to: URL(fileURLWithPath: ours))
        try Data("a user's notes".utf8).write(to: URL(fileURLWithPath: theirs))
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        symlink("/dev/null", "\(dir)/null")
        let isOurs: (String) -> Bool = { (try? Data(contentsOf: URL(fileURLWithPath: $0))) == Data("ours".utf8) }
        XCTAssertNil(refusal { try OutputTarget.checkFile("\(dir)/new.bin", what: "an export", isOurs: isOurs) }, "a new file")
        XCTAssertNil(refusal { try OutputTarget.checkFile(ours, what: "an export", isOurs: isOurs) }, "one of ours is replaced")
        let cases: [(String, String)] = [
            ("", "the path is empty"), ("/", "the root folder"), ("///", "the root folder"), ("/dev/null", "it is a device"),
            ("\(dir)/null", "it is a device"), (fifo, "it is a FIFO"), (dir, "it is a folder"), (theirs, "is not an export this tool wrote"),
        ]
        for (path, reason) in cases {
            let message = refusal { try OutputTarget.checkFile(path, what: "an export", isOurs: isOurs) }
            XCTAssertTrue(message?.contains(reason) ?? false, "\(path): \(message ?? "accepted")")
        }
        XCTAssertEqual(try String(contentsOfFile: theirs, encoding: .utf8), "a user's notes", "untouched")
    }

    func testFolderTargets() throws {
        let dir = try temporaryDirectory(self)
        try Data().write(to: URL(fileURLWithPath: "\(dir)/file"))
        XCTAssertTrue(refusal { try OutputTarget.checkFolder("\(dir)/file", names: ["a"], what: "an export", isOurs: { _ in true }) }?
            .contains("not a folder") ?? false)
        try FileManager.default.createDirectory(atPath: "\(dir)/out", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(dir)/out/a"))
        XCTAssertNotNil(refusal { try OutputTarget.checkFolder("\(dir)/out", names: ["a"], what: "an export", isOurs: { _ in false }) })
        XCTAssertNil(refusal { try OutputTarget.checkFolder("\(dir)/out", names: ["b"], what: "an export", isOurs: { _ in false }) })
    }

    /// A dead writer's temporary file is removed; a live one's (this process) is kept.
    func testAbandonedPartialsOfDeadWritersOnly() throws {
        let dir = try temporaryDirectory(self)
        let dead = "\(dir)/.out.npy.999999999.partial", live = "\(dir)/.out.npy.\(getpid()).partial", other = "\(dir)/.other.npy.999999999.partial"
        for path in [dead, live, other] { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }
        XCTAssertEqual(AtomicFile.removeAbandonedPartials(of: "\(dir)/out.npy"), [".out.npy.999999999.partial"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live))
        XCTAssertTrue(FileManager.default.fileExists(atPath: other), "another file's")
    }

    /// A rename that fails (the target is a non-empty folder) leaves no temporary file behind.
    func testFailedCommitLeavesNothing() throws {
        let dir = try temporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: "\(dir)/target/inside", withIntermediateDirectories: true)
        let stream = try AtomicFile.Stream(path: "\(dir)/target")
        try stream.append(Data(repeating: 1, count: 1000))
        XCTAssertThrowsError(try stream.commit())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(AtomicFile.partialSuffix) }, [])
    }
}
