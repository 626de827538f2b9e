import Foundation
import XCTest
@testable import StatNet
import StatNetServer

/// `statnet serve` as a user starts it (the tool execs statnet-serve): it keeps serving when its
/// output streams are closed, full or read by a reader that went away; Ctrl-C while it trains
/// its demo models stops at once with 130 and says how to continue; and idle connections under
/// a small descriptor limit hold other clients back for at most two idle timeouts, never for good;
/// a busy port is named before any work.
final class ServeCLITests: XCTestCase {
    var data: String { TestPaths.mnistDirectory }
    static let healthRequest = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)

    /// A StatNet and an MLPNet run folder, small (256 images, one epoch).
    func trainedPair() throws -> (statnet: String, mlpnet: String) {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        for model in ["statnet", "mlpnet"] {
            let r = try CLI.run(["train", "--data", data, "--out", "\(base)/\(model)", "--model", model, "--train-size", "256", "--epochs", "1", "--threads", "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        return ("\(base)/statnet", "\(base)/mlpnet")
    }

    /// A socket bound to a port of 127.0.0.1 the kernel chose, and that port.
    func boundSocket() -> (descriptor: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port that was free a moment ago (the kernel's choice for port 0).
    func freePort() -> Int {
        let (fd, port) = boundSocket()
        close(fd)
        return port
    }

    /// Waits until /healthz answers 200 on `port` (the server is up), at most `timeout` seconds.
    func waitUntilHealthy(port: Int, timeout: Double = 60) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if ServerLimitsTests.exchange(port: port, Self.healthRequest, timeout: 2).hasPrefix("HTTP/1.1 200") { return true }
            usleep(200_000)
        }
        return false
    }

    /// Closed stdout and stderr (descriptors reserved at start), a full stderr, and a stdout
    /// reader that goes away after the first bytes: the server starts, answers and stops at
    /// Ctrl-C with 0 (a server's normal end), never with a crash.
    func testServesWithClosedFullOrAbandonedStreams() throws {
        let (statnet, mlpnet) = try trainedPair()
        for redirection in [">&- 2>&-", ">/dev/null 2>/dev/full"] {
            let port = freePort()
            let running = try CLI.startShell("exec \"$STATNET\" serve --port \(port) --models '\(statnet)' '\(mlpnet)' --threads 1 \(redirection)")
            XCTAssertTrue(waitUntilHealthy(port: port), "\(redirection): the server answers")
            running.signal(SIGINT)
            let r = running.wait()
            XCTAssertEqual(r.status, 0, "\(redirection): \(r.stderr)")
        }
        // A reader that takes the first bytes of the "serving on" line and goes away.
        let port = freePort()
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["serve", "--port", "\(port)", "--models", statnet, mlpnet, "--threads", "1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        XCTAssertEqual(try out.fileHandleForReading.read(upToCount: 10), Data("serving on".utf8))
        try out.fileHandleForReading.close()
        XCTAssertTrue(waitUntilHealthy(port: port), "the server answers with its reader gone")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(process.terminationReason, .exit, "no crash")
    }

    /// While serve trains its demo models (no models given, none in the folder) its address
    /// already answers: a 503 page with the training's progress that reloads itself, and the
    /// same as JSON for the API. Ctrl-C then ends it within seconds with 130, says how to
    /// continue, keeps the half-trained run folder, and frees the port.
    func testStopWhileTrainingTheDemoModels() throws {
        _ = try SharedMNIST.get()
        let folder = try temporaryDirectory(self)
        let port = freePort()
        let running = try CLI.start(["serve", "--port", "\(port)", "--data", data, "--threads", "1"], currentDirectory: folder)
        let config = "\(folder)/\(ServerModels.demoFolder)/statnet/config.json"
        let end = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: config) && Date() < end { usleep(200_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: config), "the demo training started")
        usleep(1_500_000)
        let page = ServerLimitsTests.exchange(port: port, Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
        XCTAssertTrue(page.hasPrefix("HTTP/1.1 503"), page)
        XCTAssertTrue(page.contains("Training the demo models") && page.contains("http-equiv=\"refresh\""), page)
        let health = ServerLimitsTests.exchange(port: port, Self.healthRequest)
        XCTAssertTrue(health.hasPrefix("HTTP/1.1 503") && health.contains("application/json") && health.contains("\"error\""), health)
        let sent = Date()
        running.signal(SIGINT)
        let r = running.wait()
        XCTAssertLessThan(Date().timeIntervalSince(sent), 5, "stopped promptly")
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertTrue(r.stderr.contains("stopped by signal 2"), r.stderr)
        XCTAssertTrue(r.stderr.contains("run `statnet serve` again to continue training the demo models"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: config), "the run folder is kept for the next start")
        XCTAssertEqual(ServerLimitsTests.exchange(port: port, Self.healthRequest, timeout: 1), "connect failed", "the port is free again")
    }

    /// Under `ulimit -n 256`, 400 idle connections cannot lock a client out: the connection limit
    /// stays under the descriptor limit and the idle timeout frees the slots, so a new request is
    /// answered within two idle timeouts (the accepted batch, then the queued one).
    func testIdleConnectionsUnderASmallDescriptorLimit() throws {
        let (statnet, mlpnet) = try trainedPair()
        let port = freePort()
        let running = try CLI.startShell("ulimit -n 256; exec \"$STATNET\" serve --port \(port) --models '\(statnet)' '\(mlpnet)' --threads 1")
        defer { running.signal(SIGINT); _ = running.wait() }
        XCTAssertTrue(waitUntilHealthy(port: port))
        var idle: [Int32] = []
        defer { idle.forEach { close($0) } }
        for _ in 0..<400 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var flags = fcntl(fd, F_GETFL)
            flags |= O_NONBLOCK
            _ = fcntl(fd, F_SETFL, flags)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            idle.append(fd)
        }
        let start = Date()
        let limit = 2 * Double(StatNetServer.idleTimeout.nanoseconds) / 1e9 + 15
        let reply = ServerLimitsTests.exchange(port: port, Self.healthRequest, timeout: limit)
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 200"), reply)
        XCTAssertLessThan(Date().timeIntervalSince(start), limit)
        // The server is still healthy once the idle clients are gone.
        idle.forEach { close($0) }
        idle = []
        XCTAssertTrue(waitUntilHealthy(port: port, timeout: 10))
    }

    /// A busy port, or a host that is not this machine's, is reported before any slow set-up
    /// (here: before the demo models would train) with what to do instead.
    func testBusyPortOrForeignHostIsNamedFirst() throws {
        let folder = try temporaryDirectory(self)
        let (fd, port) = boundSocket()
        defer { close(fd) }
        XCTAssertEqual(listen(fd, 1), 0)
        let cases: [([String], String)] = [
            (["--port", "\(port)"], "serve: \(ServeAddressError.inUse(host: "127.0.0.1", port: port))"),
            (["--host", "192.0.2.1", "--port", "8080"], "serve: \(ServeAddressError.notLocal(host: "192.0.2.1"))"),
        ]
        for (options, message) in cases {
            let r = try CLI.run(["serve", "--data", data, "--threads", "1"] + options, currentDirectory: folder)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertFalse(r.stderr.contains("training a statnet"), "refused before training: \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(folder)/\(ServerModels.demoFolder)"))
        XCTAssertTrue(ServeAddressError.inUse(host: "127.0.0.1", port: port).description.contains("--port 0 takes any free one"))
    }
}
