import Foundation
import StatNet

/// What the server's address answers while the demo models train, before the real server
/// starts: every request gets a 503 whose page says how far the training is and reloads itself
/// (the API and /healthz the same message as JSON). It binds at once, so a browser opened on the
/// address sees progress, not "connection refused"; `stop()` frees the port for the server.
public final class StartingPage: @unchecked Sendable {
    /// The port bound (the one asked for, or the kernel's choice for 0).
    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var message = "starting"
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)
    /// How often the page reloads itself, and the Retry-After a client is given.
    static let retrySeconds = 3
    /// Connections waiting to be answered.
    static let backlog: Int32 = 64
    /// A request is read for at most this long, then answered anyway.
    static let readTimeoutSeconds = 2

    /// Binds and listens on `host:port`, and answers from a thread of its own.
    /// - Throws: `ServeAddressError` when the address cannot be bound.
    public init(host: String, port: Int) throws {
        let fd = try ServeAddressError.boundSocket(host: host, port: port)
        guard listen(fd, Self.backlog) == 0 else {
            let code = errno
            close(fd)
            throw ServeAddressError.cannotListen(host: host, port: port, reason: String(cString: strerror(code)))
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let bound = withUnsafePointer(to: &address) { pointer -> UInt16 in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }   // sin_port and sin6_port sit at the same offset
        }
        listener = fd
        self.port = Int(UInt16(bigEndian: bound))
        let thread = Thread { [self] in serve() }
        thread.name = "statnet starting page"
        thread.start()
    }

    /// What the page says now (one line, plain text).
    public func update(_ text: String) {
        lock.lock()
        message = text
        lock.unlock()
    }

    /// Stops answering and closes the port; waits for the answering thread.
    public func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
    }

    private func serve() {
        defer { finished.signal() }
        while true {
            let client = accept(listener, nil, nil)
            lock.lock()
            let (done, text) = (stopped, message)
            lock.unlock()
            if done { if client >= 0 { close(client) }; return }
            guard client >= 0 else { if errno == EINTR || errno == ECONNABORTED { continue } else { return } }
            answer(client, text)
            close(client)
        }
    }

    /// Reads the request line (at most a few seconds), then answers 503 with `text`.
    private func answer(_ client: Int32, _ text: String) {
        var wait = timeval(tv_sec: Self.readTimeoutSeconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 2048)
        let n = recv(client, &buffer, buffer.count, 0)
        let requestLine = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "" : ""
        let path = requestLine.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let (type, body): (String, String) = path.hasPrefix("/api") || path.hasPrefix("/healthz")
            ? ("application/json", String(decoding: (try? JSONEncoder().encode(["error": text])) ?? Data(), as: UTF8.self))
            : ("text/html; charset=utf-8", """
              <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="\(Self.retrySeconds)">\
              <meta name="viewport" content="width=device-width, initial-scale=1"><title>StatNet: starting</title></head>\
              <body style="font: 16px system-ui, sans-serif; margin: 40px; color: #1d2330"><h1 style="font-size: 20px">StatNet: draw a digit</h1>\
              <p id="starting">\(escaped)</p><p style="color: #667085">This page reloads itself; the drawing pad appears when the models are ready.</p></body></html>
              """)
        let head = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: \(Self.retrySeconds)\r\nContent-Type: \(type)\r\n"
            + "Content-Length: \(body.utf8.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + body).utf8)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }   // a reader gone is no signal
    }
}
