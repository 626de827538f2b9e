import Foundation
import XCTest
import StatNet

/// `statnet data download` against a local mirror (127.0.0.1) that serves the shared MNIST
/// files, a corrupted copy, and a connection dropped halfway.
final class MNISTDownloaderTests: XCTestCase {
    var server: Process?
    var base = ""

    override func setUpWithError() throws {
        let source = TestPaths.mnistDirectory
        guard MNIST.fileNames.allSatisfy({ FileManager.default.fileExists(atPath: "\(source)/\($0).gz") }) else {
            throw XCTSkip("the gzip'd MNIST files are not in \(source)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.fixtures.appendingPathComponent("mnist_server.py").path, source]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        server = process
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw XCTSkip("the local test server did not start (python3 missing?)")
        }
        base = "http://127.0.0.1:\(port)"
    }

    override func tearDown() {
        server?.terminate()
        server?.waitUntilExit()
    }

    func files(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    func testFallsThroughBadMirrorsToAGoodOne() throws {
        let dir = try temporaryDirectory(self)
        var lines: [String] = []
        let downloader = MNISTDownloader(mirrors: ["\(base)/drop/", "\(base)/corrupt/", "\(base)/nothing/", "\(base)/good/"],
                                         timeout: 20, log: { lines.append($0) })
        let fetched = try downloader.download(into: dir)
        XCTAssertEqual(Set(fetched), Set(MNIST.fileNames))
        XCTAssertEqual(files(in: dir), MNIST.fileNames.map { $0 + ".gz" }.sorted(), "only the four verified files, no partial ones")
        let mnist = try MNIST.load(directory: dir)
        XCTAssertEqual(mnist.train.count, 60000)
        XCTAssertTrue(lines.contains { $0.contains("/drop/") && $0.contains("dropped") || $0.contains("/drop/") && $0.contains("failed") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("/corrupt/") && $0.contains("SHA-256") }, lines.joined(separator: "\n"))
        // A second run finds everything in place and fetches nothing.
        XCTAssertEqual(try downloader.download(into: dir), [])
    }

    func testNoGoodMirrorLeavesNothingBehind() throws {
        let dir = try temporaryDirectory(self)
        let downloader = MNISTDownloader(mirrors: ["\(base)/drop/", "\(base)/corrupt/"], timeout: 20)
        XCTAssertThrowsError(try downloader.download(into: dir)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("train-images-idx3-ubyte"), text)
            XCTAssertTrue(text.contains("/drop/") && text.contains("/corrupt/"), text)
        }
        XCTAssertEqual(files(in: dir), [], "no partial or unverified file is left")
    }

    /// A corrupted file already in the folder is replaced, not trusted.
    func testReplacesACorruptedLocalFile() throws {
        let dir = try temporaryDirectory(self)
        for name in MNIST.fileNames {
            try FileManager.default.copyItem(atPath: "\(TestPaths.mnistDirectory)/\(name).gz", toPath: "\(dir)/\(name).gz")
        }
        _ = FileManager.default.createFile(atPath: "\(dir)/t10k-labels-idx1-ubyte.gz", contents: Data([1, 2, 3]))
        let fetched = try MNISTDownloader(mirrors: ["\(base)/good/"], timeout: 20).download(into: dir)
        XCTAssertEqual(fetched, ["t10k-labels-idx1-ubyte"])
        XCTAssertNoThrow(try MNIST.load(directory: dir))
    }

    /// A mirror that never stops sending, or announces more than the limit, is cut off there
    /// over HTTP as over file://, with an error naming the limit; nothing is left behind.
    func testEndlessOrHugeBodiesAreCutOff() throws {
        let dir = try temporaryDirectory(self)
        let downloader = MNISTDownloader(mirrors: ["\(base)/endless/", "\(base)/huge/"], timeout: 20)
        XCTAssertThrowsError(try downloader.download(into: dir)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/endless/") && text.contains("sent more than \(MNISTDownloader.maximumDownloadBytes) bytes"), text)
            XCTAssertTrue(text.contains("/huge/") && text.contains("announces 1099511627776 bytes"), text)
        }
        XCTAssertEqual(files(in: dir), [])
    }
}
