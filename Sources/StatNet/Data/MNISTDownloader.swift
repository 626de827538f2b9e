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
        let target = (directory as NSString).appendingPathComponent(name + ".gz")
        let temporary = (directory as NSString).appendingPathComponent(".\(name).gz.\(ProcessInfo.processInfo.processIdentifier).partial")
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
            } catch {
                // Errors about the URL itself already start with it.
                let line = (error as? DataError).flatMap { $0.path == url ? $0.description : nil } ?? "\(url): \(error)"
                log(line)
                attempts.append(line)
            }
        }
        throw Failure(file: name, attempts: attempts)
    }

    /// The largest file accepted from a mirror (the training images are 9.9 MB gzip'd).
    public static let maximumDownloadBytes = 100 << 20

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
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Data, Error> = .failure(DataError(url, .unreadable, "no answer"))
        let task = session.dataTask(with: address) { data, response, error in
            if let error {
                result = .failure(DataError(url, .unreadable, "transfer failed: \(error.localizedDescription)"))
            } else if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                result = .failure(DataError(url, .unreadable, "HTTP status \(http.statusCode)"))
            } else if let http = response as? HTTPURLResponse, let data,
                      http.expectedContentLength >= 0, Int64(data.count) != http.expectedContentLength {
                result = .failure(DataError(url, .truncatedData, "connection dropped: \(data.count) of \(http.expectedContentLength) bytes"))
            } else {
                result = .success(data ?? Data())
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try result.get()
    }
}
