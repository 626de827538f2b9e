import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}`,
/// then the raw little-endian tensor bytes. `safetensors.torch.load_file` reads what we write.
///
/// Reading trusts nothing: the header is capped in size, every shape and offset is checked
/// without trapping arithmetic, and the offsets must tile the data section exactly, in order,
/// with no gap or overlap (as the format's specification requires).
public struct SafeTensors: Equatable, Sendable {
    public enum DType: String, Sendable {
        case F32, F64, I64, U64, U8
        public var size: Int {
            switch self {
            case .F32: 4
            case .F64, .I64, .U64: 8
            case .U8: 1
            }
        }
    }

    public struct Tensor: Equatable, Sendable {
        public let dtype: DType
        public let shape: [Int]
        public let bytes: [UInt8]
    }

    /// The largest header accepted. This tool writes about 2 KB; a few MB leaves room for
    /// other writers' metadata while refusing a header that would take gigabytes to parse.
    public static let maximumHeaderBytes = 4 << 20
    /// The largest checkpoint file accepted (this tool's are 13 and 39 MB).
    public static let maximumFileBytes = 1 << 30
    /// The largest single dimension accepted (2^31: far beyond any tensor here).
    public static let maximumDimension = 1 << 31

    public var tensors: [String: Tensor] = [:]
    public var metadata: [String: String] = [:]

    public init() {}

    // MARK: building

    public mutating func set(_ name: String, floats: [Float], shape: [Int]) {
        precondition(shape.reduce(1, *) == floats.count, "\(name): \(floats.count) values for shape \(shape)")
        tensors[name] = Tensor(dtype: .F32, shape: shape, bytes: floats.withUnsafeBytes { Array($0) })
    }

    public mutating func set(_ name: String, bytes: [UInt8]) {
        tensors[name] = Tensor(dtype: .U8, shape: [bytes.count], bytes: bytes)
    }

    public mutating func set(_ name: String, unsigned: [UInt64]) {
        tensors[name] = Tensor(dtype: .U64, shape: [unsigned.count], bytes: unsigned.withUnsafeBytes { Array($0) })
    }

    // MARK: reading values (the file path is only for messages)

    public func floats(_ name: String, shape: [Int], file: String) throws -> [Float] {
        let t = try tensor(name, file: file)
        guard t.dtype == .F32, t.shape == shape else {
            throw CheckpointError.wrongTensor(path: file, name: name, found: "\(t.dtype.rawValue) \(t.shape)", expected: "F32 \(shape)")
        }
        return Self.values(of: t.bytes, as: Float.self)
    }

    public func unsigned(_ name: String, count: Int, file: String) throws -> [UInt64] {
        let t = try tensor(name, file: file)
        guard t.dtype == .U64, t.shape == [count] else {
            throw CheckpointError.wrongTensor(path: file, name: name, found: "\(t.dtype.rawValue) \(t.shape)", expected: "U64 [\(count)]")
        }
        return Self.values(of: t.bytes, as: UInt64.self)
    }

    public func bytes(_ name: String, count: Int, file: String) throws -> [UInt8] {
        let t = try tensor(name, file: file)
        guard t.dtype == .U8, t.shape == [count] else {
            throw CheckpointError.wrongTensor(path: file, name: name, found: "\(t.dtype.rawValue) \(t.shape)", expected: "U8 [\(count)]")
        }
        return t.bytes
    }

    /// Little-endian values from bytes, read unaligned (the bytes' storage is not rebound).
    private static func values<T: FixedWidthInteger>(of bytes: [UInt8], as: T.Type) -> [T] {
        bytes.withUnsafeBytes { raw in
            (0..<raw.count / MemoryLayout<T>.size).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    private static func values(of bytes: [UInt8], as: Float.Type) -> [Float] {
        values(of: bytes, as: UInt32.self).map(Float.init(bitPattern:))
    }

    private func tensor(_ name: String, file: String) throws -> Tensor {
        guard let t = tensors[name] else { throw CheckpointError.missingTensor(path: file, name: name) }
        return t
    }

    // MARK: encoding

    /// The 8-byte length and the header of a file whose tensors (name, dtype, shape) follow
    /// in name order: for writers that stream the tensor bytes after it.
    public static func header(for entries: [(name: String, dtype: DType, shape: [Int])], metadata: [String: String] = [:]) -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for e in entries.sorted(by: { $0.name < $1.name }) {
            let size = e.shape.reduce(e.dtype.size, *)
            header[e.name] = ["dtype": e.dtype.rawValue, "shape": e.shape, "data_offsets": [offset, offset + size]]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }   // pad with spaces, as the reference writer does
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        return data
    }

    func encoded() -> Data {
        let names = tensors.keys.sorted()
        var data = Self.header(for: names.map { (name: $0, dtype: tensors[$0]!.dtype, shape: tensors[$0]!.shape) }, metadata: metadata)
        for name in names { data.append(contentsOf: tensors[name]!.bytes) }
        return data
    }

    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }

    // MARK: decoding, trusting nothing

    public static func read(path: String) throws -> SafeTensors {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, maximumBytes: maximumFileBytes)
        } catch {
            switch error {
            case .missing: throw CheckpointError.missing(path: path)
            case .notRegular(let kind): throw CheckpointError.notAFile(path: path, kind: kind)
            case let .unreadable(reason): throw CheckpointError.unreadable(path: path, reason: reason)
            case let .tooLarge(size, maximum): throw CheckpointError.malformed(path: path, reason: "\(size) bytes, more than the \(maximum) accepted")
            }
        }
        return try decode(bytes, path: path)
    }

    /// The metadata of the safetensors file at `path`, read from its header alone (for a file
    /// too large to read whole, or one only to be recognised).
    public static func readHeader(path: String) throws -> (metadata: [String: String], headerBytes: Int) {
        func bad(_ why: String) -> CheckpointError { .malformed(path: path, reason: why) }
        guard let lengthBytes = try? RegularFile.readPrefix(path, count: 8), lengthBytes.count == 8 else { throw bad("too short for the header length") }
        let length = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(maximumHeaderBytes) else { throw bad("header length \(length) is over the \(maximumHeaderBytes) bytes accepted") }
        guard let bytes = try? RegularFile.readPrefix(path, count: 8 + Int(length)), bytes.count == 8 + Int(length),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes[8...])) as? [String: Any] else {
            throw bad("the header is not a JSON object")
        }
        return ((object["__metadata__"] as? [String: String]) ?? [:], Int(length))
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> SafeTensors {
        func bad(_ why: String) -> CheckpointError { .malformed(path: path, reason: why) }
        guard bytes.count >= 8 else { throw bad("\(bytes.count) bytes, too short for the header length") }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw bad("header length \(headerLength) exceeds the file (\(bytes.count) bytes): truncated or corrupted")
        }
        guard headerLength <= UInt64(maximumHeaderBytes) else {
            throw bad("header length \(headerLength) is over the \(maximumHeaderBytes) bytes accepted")
        }
        let dataStart = 8 + Int(headerLength)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])), let header = object as? [String: Any] else {
            throw bad("the header is not a JSON object")
        }
        var result = SafeTensors()
        let dataCount = bytes.count - dataStart
        var spans: [(name: String, begin: Int, end: Int, dtype: DType, shape: [Int])] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let metadata = value as? [String: String] else { throw bad("__metadata__ is not a map of strings") }
                result.metadata = metadata
                continue
            }
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                  let shape = Self.integers(entry["shape"]), let offsets = Self.integers(entry["data_offsets"]), offsets.count == 2 else {
                throw bad("entry \(name) lacks dtype, shape or data_offsets, or they are not whole numbers")
            }
            guard let dtype = DType(rawValue: dtypeName) else { throw bad("tensor \(name) has unsupported dtype \(dtypeName)") }
            let (begin, end) = (offsets[0], offsets[1])
            guard shape.allSatisfy({ (0...maximumDimension).contains($0) }), begin >= 0, begin <= end, end <= dataCount else {
                throw bad("tensor \(name) has shape \(shape) or offsets \(offsets) outside the \(dataCount) data bytes: truncated or corrupted")
            }
            var bytesNeeded = dtype.size
            for d in shape {
                let (product, overflow) = bytesNeeded.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("tensor \(name) shape \(shape) overflows") }
                bytesNeeded = product
            }
            guard bytesNeeded == end - begin else {
                throw bad("tensor \(name) has \(end - begin) bytes for \(dtypeName) \(shape)")
            }
            spans.append((name, begin, end, dtype, shape))
        }
        // The tensors must tile the data section: sorted by offset, each begins where the
        // previous ended, the first at 0 and the last at the end.
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        for s in spans {
            guard s.begin == position else {
                throw bad(s.begin < position ? "tensor \(s.name) overlaps the tensor before it (offset \(s.begin) < \(position))"
                                             : "a gap of \(s.begin - position) bytes before tensor \(s.name)")
            }
            position = s.end
        }
        guard position == dataCount else { throw bad("\(dataCount) data bytes, but the tensors cover \(position)") }
        for s in spans {
            result.tensors[s.name] = Tensor(dtype: s.dtype, shape: s.shape, bytes: Array(bytes[dataStart + s.begin..<dataStart + s.end]))
        }
        return result
    }

    /// A JSON array of whole numbers that fit in Int (a fraction, a string or a number beyond
    /// Int is refused, never rounded or trapped on).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        for element in array {
            guard let n = element as? Int else { return nil }
            out.append(n)
        }
        return out
    }
}
