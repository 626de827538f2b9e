import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches the four MNIST files from public mirrors, tried in order, and keeps a file only once
/// its decompressed bytes carry the real MNIST SHA-256. Each file is written to a temporary
/// name and renamed into place, so the data folder never holds a partial or unverified file.
public struct MNISTDownloader {
    public static let defaultMirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://yann.lecun.com/exdb/mnist/",
    ]

    public var mirrors: [String]
    public var timeout: TimeInterval
    /// Called with one line per attempt (for progress on stderr).
    public var log: (String) -> Void

    public init(mirrors: [String] = defaultMirrors, timeout: TimeInterval = 60, log: @escaping (String) -> Void = { _ in }) {
        self.mirrors = mirrors
        self.timeout = timeout
        self.log = log
    }

    public struct Failure: Error, CustomStringConvertible {
        public let file: String
        public let attempts: [String]
        public var description: String {
            "could not fetch \(file) from any mirror:\n" + attempts.map { "  - \($0)" }.joined(separator: "\n")
        }
        /// One line, without the attempts (already logged one by one), and what to do next.
        public var summary: String {
            "could not fetch \(file) from any of the \(attempts.count) mirror(s) tried (each attempt is listed above). "
                + "Without a network: get the four files elsewhere (their SHA-256 are in the README) and run "
                + "`statnet data import DIR`, or pass a mirror of your own, e.g. --mirror file:///path/to/folder/"
        }
    }

    /// Downloads whatever of the four files `directory` lacks (or holds in a bad state).
    /// Returns the names it fetched.
    @discardableResult
    public func download(into directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var fetched: [String] = []
        for name in MNIST.fileNames {
            try StopRequest.check()
            if let existing = try? MNIST.path(of: name, in: directory),
               (try? IDXFile.read(path: existing).sha256Hex) == MNIST.sha256[name] {
                log("\(name): already present and verified")
                continue
            }
            try fetch(name, into: directory)
            fetched.append(name)
        }
        return fetched
    }

    /// Copies the four files from `source` (gzip'd or plain, as found) into `directory`, each
    /// checked (structure and SHA-256) before it is written, atomically. Returns the names copied.
    @discardableResult
    public static func importFiles(from source: String, into directory: String) throws -> [String] {
        try AtomicFile.createDirectory(directory)
        var copied: [String] = []
        for name in MNIST.fileNames {
            let path = try MNIST.path(of: name, in: source)
            let file = try IDXFile.read(path: path)
            guard file.sha256Hex == MNIST.sha256[name] else {
                throw DataError(path, .checksumMismatch, "SHA-256 of the decompressed bytes is \(file.sha256Hex), the real MNIST \(name) has \(MNIST.sha256[name] ?? "?")")
            }
            let bytes = try RegularFile.read(path, maximumBytes: maximumDownloadBytes)
            let target = Path.join(directory, name + (path.hasSuffix(".gz") ? ".gz" : ""))
            try AtomicFile.write(Data(bytes), to: target)
            copied.append(name)
        }
        return copied
    }

    private func fetch(_ name: String, into directory: String) throws {
        let target = Path.join(directory, name + ".gz")
        let temporary = Path.join(directory, ".\(name).gz.\(ProcessInfo.processInfo.processIdentifier)" + AtomicFile.partialSuffix)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var attempts: [String] = []
        for mirror in mirrors {
            let url = mirror.hasSuffix("/") ? mirror + name + ".gz" : mirror + "/" + name + ".gz"
            do {
                let data = try get(url)
                try data.write(to: URL(fileURLWithPath: temporary))
                let file = try IDXFile.read(path: temporary)
                let digest = file.sha256Hex
                guard digest == MNIST.sha256[name] else {
                    throw DataError(url, .checksumMismatch, "SHA-256 \(digest) is not the real MNIST's")
                }
                try AtomicFile.replace(target, with: temporary)
                log("\(name): fetched from \(url), SHA-256 verified")
                return
            } catch let stop as StopRequest.Stopped {
                throw stop
            } catch {
                // Errors about the URL itself already start with it.
                let line = (error as? DataError).flatMap { $0.path == url ? $0.description : nil } ?? "\(url): \(error)"
                log(line)
                attempts.append(line)
            }
        }
        throw Failure(file: name, attempts: attempts)
    }

    /// The largest file accepted from a mirror, over any scheme (the training images are
    /// 9.9 MB gzip'd): a mirror that sends more is cut off there.
    public static let maximumDownloadBytes = 100 << 20

    /// How often a download that waits for its mirror looks for a stop request.
    static let stopCheckInterval = DispatchTimeInterval.milliseconds(200)

    private func get(_ url: String) throws -> Data {
        if url.hasPrefix("file://") {
            // A folder on this machine (or a mounted share) as a mirror.
            let path = String(url.dropFirst("file://".count))
            do { return Data(try RegularFile.read(path, maximumBytes: Self.maximumDownloadBytes)) } catch {
                throw DataError(path, .unreadable, "\(error)")
            }
        }
        guard let address = URL(string: url) else { throw DataError(url, .unreadable, "not a valid URL") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 5
        let receiver = BoundedReceiver(url: url, maximumBytes: Self.maximumDownloadBytes)
        let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let task = session.downloadTask(with: address)
        task.resume()
        // Wait in short slices, so that Ctrl-C or SIGTERM stops a mirror that never answers.
        while receiver.done.wait(timeout: .now() + Self.stopCheckInterval) == .timedOut {
            if StopRequest.isRequested {
                task.cancel()
                try StopRequest.check()
            }
        }
        let result = receiver.result
        return try result.get()
    }
}

/// Fetches one HTTP response body to a temporary file (never into memory as it arrives: a
/// mirror faster than this process must not fill the memory with queued data) and cancels the
/// transfer once more than `maximumBytes` have been written or announced. The body is read back,
/// within the limit, when the transfer ends.
private final class BoundedReceiver: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {
    let url: String
    let maximumBytes: Int
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var data: Data?
    private var failure: DataError?

    init(url: String, maximumBytes: Int) {
        self.url = url
        self.maximumBytes = maximumBytes
    }

    var result: Result<Data, Error> {
        lock.withLock {
            if let failure { return .failure(failure) }
            guard let data else { return .failure(DataError(url, .unreadable, "no answer")) }
            return .success(data)
        }
    }

    private func fail(_ error: DataError) {
        lock.withLock { if failure == nil { failure = error } }
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64,
                    totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64) {
        if totalBytesExpectedToWrite > Int64(maximumBytes) {
            fail(DataError(url, .tooLarge, "the mirror announces \(totalBytesExpectedToWrite) bytes, over the \(maximumBytes) bytes accepted from a mirror"))
            downloadTask.cancel()
        } else if totalBytesWritten > Int64(maximumBytes) {
            fail(DataError(url, .tooLarge, "the mirror sent more than \(maximumBytes) bytes, over the \(maximumBytes) bytes accepted from a mirror"))
            downloadTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        let http = downloadTask.response as? HTTPURLResponse
        if let http, http.statusCode != 200 { return fail(DataError(url, .unreadable, "HTTP status \(http.statusCode)")) }
        do {
            let bytes = try RegularFile.read(location.path, maximumBytes: maximumBytes)
            if let http, http.expectedContentLength >= 0, Int64(bytes.count) != http.expectedContentLength {
                return fail(DataError(url, .truncatedData, "connection dropped: \(bytes.count) of \(http.expectedContentLength) bytes"))
            }
            lock.withLock { data = Data(bytes) }
        } catch .tooLarge(let size, _) {
            fail(DataError(url, .tooLarge, "the mirror sent \(size) bytes, over the \(maximumBytes) bytes accepted from a mirror"))
        } catch {
            fail(DataError(url, .unreadable, "the downloaded body could not be read back: \(error)"))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error { fail(DataError(url, .unreadable, "transfer failed: \(error.localizedDescription)")) }
        done.signal()
    }
}
