import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import StatNet
import StatNetServer

/// The server under clients that misbehave at the byte level, on a real socket: a body that
/// never arrives ends its request with 408, a malformed chunk-size line with 400, and the
/// server answers others meanwhile.
final class ServerLimitsTests: XCTestCase {
    /// Sends `bytes` to 127.0.0.1:`port`, waits `pause` seconds, then reads what the server says
    /// (at most `timeout` seconds).
    static func exchange(port: Int, _ bytes: [UInt8], timeout: Double = 5) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return "connect failed" }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &reply, reply.count, 0)
        return n > 0 ? String(decoding: reply[0..<n], as: UTF8.self) : "no answer"
    }

    func testSlowAndMalformedBodies() async throws {
        let service = try ServerRoutesTests.sharedService()
        let app = Application(router: ServerRoutes.router(service: service, bodyTimeout: .milliseconds(500)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let start = Date()
            let short = Self.exchange(port: port, Array("POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"width\":".utf8))
            XCTAssertTrue(short.hasPrefix("HTTP/1.1 408"), short)
            XCTAssertTrue(short.contains("did not arrive within"), short)
            XCTAssertLessThan(Date().timeIntervalSince(start), 4, "the deadline, not the client, ends it")
            let endless = Self.exchange(port: port, Array("POST /api/predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"wid\r\n".utf8))
            XCTAssertTrue(endless.hasPrefix("HTTP/1.1 408"), endless)
            let chunk = Self.exchange(port: port, Array("POST /api/predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                                   + [UInt8](repeating: UInt8(ascii: "f"), count: 100_000) + Array("\r\n".utf8))
            XCTAssertTrue(chunk.hasPrefix("HTTP/1.1 400"), chunk)
            try await client.execute(uri: "/healthz", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }
}
