import CZlib
import CCrypto
import Foundation

/// An IDX file (the MNIST container) of unsigned bytes: big-endian header
/// `00 00 08 ndims`, `ndims` UInt32 dimensions, then the product of the dimensions in bytes.
///
/// Reads gzip'd and plain files alike (zlib's `gzread` passes plain files through) into one
/// contiguous buffer. Never trusts the header for an allocation: the data is read in chunks up
/// to what the header promises (plus one byte, to see trailing data), so a lying header costs
/// at most what the file really holds.
public struct IDXFile: Sendable {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    /// Largest payload we accept: the MNIST training images are 47 MB.
    public static let maximumPayload = 1 << 30

    public init(dimensions: [Int], bytes: [UInt8]) {
        self.dimensions = dimensions
        self.bytes = bytes
    }

    public static func read(path: String) throws -> IDXFile {
        try DataError.requireRegularFile(path, expected: "an IDX file")
        guard let file = gzopen(path, "rb") else {
            throw DataError(path, .unreadable, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { gzclose(file) }
        _ = gzbuffer(file, 1 << 17)

        var reader = GzipReader(file: file, path: path)
        let magic = try reader.read(count: 4)
        if magic.isEmpty { throw DataError(path, .empty, "file is empty") }
        guard magic.count == 4 else { throw DataError(path, .truncatedHeader, "truncated header: \(magic.count) of 4 magic bytes") }
        guard magic[0] == 0, magic[1] == 0 else {
            throw DataError(path, .badMagic, String(format: "bad magic %02x %02x %02x %02x: not an IDX file", magic[0], magic[1], magic[2], magic[3]))
        }
        guard magic[2] == 0x08 else {
            throw DataError(path, .badMagic, String(format: "IDX element type 0x%02x is not unsigned byte (0x08)", magic[2]))
        }
        let rank = Int(magic[3])
        guard (1...4).contains(rank) else { throw DataError(path, .badMagic, "IDX rank \(rank) is not between 1 and 4") }
        let header = try reader.read(count: 4 * rank)
        guard header.count == 4 * rank else {
            throw DataError(path, .truncatedHeader, "truncated header: \(header.count) of \(4 * rank) dimension bytes")
        }
        var dimensions: [Int] = []
        var total = 1
        for d in 0..<rank {
            let value = header[4 * d..<4 * d + 4].reduce(0) { $0 << 8 | Int($1) }
            let (product, overflow) = total.multipliedReportingOverflow(by: value)
            guard !overflow, product <= maximumPayload else {
                throw DataError(path, .tooLarge, "dimensions \(dimensions + [value]) describe more than \(maximumPayload) bytes")
            }
            dimensions.append(value)
            total = product
        }
        let payload = try reader.read(count: total + 1)
        if payload.count < total {
            throw DataError(path, .truncatedData, "truncated data: header \(dimensions) needs \(total) bytes, file has \(payload.count)")
        }
        if payload.count > total {
            throw DataError(path, .trailingBytes, "trailing bytes after the \(total) bytes that header \(dimensions) describes")
        }
        return IDXFile(dimensions: dimensions, bytes: Array(payload))
    }

    /// The header bytes, as `read` expects them; the file is `header + bytes`, uncompressed.
    public var header: [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { out += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
        return out
    }

    /// Writes the file, gzip'd or plain, atomically (a temporary file, then a rename).
    public func write(to path: String, compressed: Bool) throws {
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).partial"
        defer { unlink(temporary) }
        guard let file = gzopen(temporary, compressed ? "wb6" : "wbT") else {
            throw DataError(path, .unreadable, "cannot create: \(String(cString: strerror(errno)))")
        }
        var ok = true
        for part in [header, bytes] where !part.isEmpty {
            let written = part.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            ok = ok && written == Int32(part.count)
        }
        ok = gzclose(file) == Z_OK && ok
        guard ok else { throw DataError(path, .unreadable, "write failed") }
        try AtomicFile.replace(path, with: temporary)
    }

    /// SHA-256 (hex) of the uncompressed file, hashed without copying the payload.
    public var sha256Hex: String {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("libcrypto could not allocate a digest context") }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        header.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        bytes.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Reads a gz (or plain) stream in bounded chunks and turns zlib errors into `DataError`s.
private struct GzipReader {
    let file: gzFile
    let path: String

    /// Up to `count` bytes; fewer only at the end of the stream.
    mutating func read(count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(count, 1 << 22))
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: min(chunk, count))
        while out.count < count {
            let want = min(chunk, count - out.count)
            let got = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(want)) }
            if got < 0 { throw error() }
            if got == 0 {
                // gzread reports a cut-off gzip stream at its end, not as an error return.
                var code: Int32 = 0
                _ = gzerror(file, &code)
                if code != Z_OK && code != Z_STREAM_END { throw error() }
                break
            }
            out.append(contentsOf: buffer[0..<Int(got)])
        }
        return out
    }

    func error() -> DataError {
        var code: Int32 = 0
        let message = String(cString: gzerror(file, &code))
        if code == Z_ERRNO { return DataError(path, .unreadable, "read error: \(String(cString: strerror(errno)))") }
        return DataError(path, .corruptCompression, "corrupt gzip data (\(message))")
    }
}
