import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}`,
/// then the raw little-endian tensor bytes. `safetensors.torch.load_file` reads what we write.
public struct SafeTensors: Equatable {
    public enum DType: String, Sendable { case F32, F64, I64, U64 }

    public struct Tensor: Equatable {
        public let dtype: DType
        public let shape: [Int]
        public let bytes: [UInt8]
    }

    public var tensors: [String: Tensor] = [:]
    public var metadata: [String: String] = [:]

    public init() {}

    // MARK: building

    public mutating func set(_ name: String, floats: [Float], shape: [Int]) {
        precondition(shape.reduce(1, *) == floats.count, "\(name): \(floats.count) values for shape \(shape)")
        tensors[name] = Tensor(dtype: .F32, shape: shape, bytes: floats.withUnsafeBytes { Array($0) })
    }

    public mutating func set(_ name: String, unsigned: [UInt64]) {
        tensors[name] = Tensor(dtype: .U64, shape: [unsigned.count], bytes: unsigned.withUnsafeBytes { Array($0) })
    }

    // MARK: reading values (the file path is only for messages)

    public func floats(_ name: String, shape: [Int], file: String) throws -> [Float] {
        let t = try tensor(name, file: file)
        guard t.dtype == .F32, t.shape == shape else {
            throw CheckpointError(file, "tensor \(name) is \(t.dtype.rawValue) \(t.shape), expected F32 \(shape)")
        }
        return t.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    public func unsigned(_ name: String, count: Int, file: String) throws -> [UInt64] {
        let t = try tensor(name, file: file)
        guard t.dtype == .U64, t.shape == [count] else {
            throw CheckpointError(file, "tensor \(name) is \(t.dtype.rawValue) \(t.shape), expected U64 [\(count)]")
        }
        return t.bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
    }

    private func tensor(_ name: String, file: String) throws -> Tensor {
        guard let t = tensors[name] else { throw CheckpointError(file, "tensor \(name) is missing") }
        return t
    }

    // MARK: encoding

    public func encoded() -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]]
            offset += t.bytes.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }   // pad with spaces, as the reference writer does
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names { data.append(contentsOf: tensors[name]!.bytes) }
        return data
    }

    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }

    // MARK: decoding, trusting nothing

    public static func read(path: String) throws -> SafeTensors {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CheckpointError(path, "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CheckpointError(path, "cannot read the file") }
        return try decode([UInt8](data), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> SafeTensors {
        func bad(_ why: String) -> CheckpointError { CheckpointError(path, "not a valid safetensors file: \(why)") }
        guard bytes.count >= 8 else { throw bad("\(bytes.count) bytes, too short for the header length") }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8), headerLength <= 100_000_000 else {
            throw bad("header length \(headerLength) exceeds the file (\(bytes.count) bytes): truncated or corrupted")
        }
        let dataStart = 8 + Int(headerLength)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])), let header = object as? [String: Any] else {
            throw bad("the header is not a JSON object")
        }
        var result = SafeTensors()
        let dataCount = bytes.count - dataStart
        var covered = 0
        for (name, value) in header {
            if name == "__metadata__" {
                guard let metadata = value as? [String: String] else { throw bad("__metadata__ is not a map of strings") }
                result.metadata = metadata
                continue
            }
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw bad("entry \(name) lacks dtype, shape or data_offsets")
            }
            guard let dtype = DType(rawValue: dtypeName) else { throw bad("tensor \(name) has unsupported dtype \(dtypeName)") }
            let (begin, end) = (offsets[0], offsets[1])
            guard shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 31 }), begin >= 0, begin <= end, end <= dataCount else {
                throw bad("tensor \(name) has offsets \(offsets) outside the \(dataCount) data bytes: truncated or corrupted")
            }
            var elements = 1
            for d in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("tensor \(name) shape \(shape) overflows") }
                elements = product
            }
            let size = dtype == .F32 ? 4 : 8
            guard elements * size == end - begin else {
                throw bad("tensor \(name) has \(end - begin) bytes for \(dtypeName) \(shape)")
            }
            covered += end - begin
            result.tensors[name] = Tensor(dtype: dtype, shape: shape, bytes: Array(bytes[dataStart + begin..<dataStart + end]))
        }
        guard covered == dataCount else { throw bad("\(dataCount) data bytes, but the tensors cover \(covered)") }
        return result
    }
}

/// A checkpoint that cannot be used, naming the file.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let detail: String
    public init(_ path: String, _ detail: String) {
        self.path = path
        self.detail = detail
    }
    public var description: String { "\(path): \(detail)" }
}
