import Foundation
import XCTest
import StatNet

/// Where the shared specification data lives: `$STATNET_SHARED`, else `../shared` beside the package.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var shared: URL {
        if let env = ProcessInfo.processInfo.environment["STATNET_SHARED"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static var mnistDirectory: String {
        if let env = ProcessInfo.processInfo.environment["STATNET_DATA"], !env.isEmpty { return env }
        return shared.appendingPathComponent("data/mnist").path
    }

    /// Fixtures shipped with the tests (Tests/StatNetTests/Fixtures).
    static var fixtures: URL { packageRoot.appendingPathComponent("Tests/StatNetTests/Fixtures") }
}

/// The real MNIST, loaded once for all tests; skips a test when the files are not there.
enum SharedMNIST {
    static let loaded: Result<MNIST, Error> = Result { try MNIST.load(directory: TestPaths.mnistDirectory) }

    static func get() throws -> MNIST {
        switch loaded {
        case .success(let m): return m
        case .failure(let error):
            if ProcessInfo.processInfo.environment["STATNET_DATA"] != nil { throw error }
            throw XCTSkip("MNIST not found (\(error)); set STATNET_DATA")
        }
    }
}

/// A fresh temporary folder, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("statnet-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

func assertThrowsDataError(_ kind: DataError.Kind, mentioning path: String, file: StaticString = #filePath, line: UInt = #line,
                           _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected a \(kind) error", file: file, line: line)
    } catch let error as DataError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        XCTAssertTrue(error.description.contains(path), "error does not name \(path): \(error)", file: file, line: line)
    } catch {
        XCTFail("expected DataError.\(kind), got \(error)", file: file, line: line)
    }
}
