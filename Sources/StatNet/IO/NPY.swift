import Foundation

/// NumPy's `.npy` files (format 1.0), as the feature export writes them: a header, then the
/// array's bytes in C order. `docs/python/read_features.py` reads them back.
enum NPY {
    /// The first bytes of every `.npy` file.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// NumPy's format 1.0: magic, version, header length, then a Python dict literal padded
    /// with spaces and a newline to a multiple of 64 bytes.
    static func header(descr: String, shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let prefix = 10   // magic (6) + version (2) + length (2)
        while (prefix + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        var data = Data(magic + [1, 0])
        let length = UInt16(dict.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(dict.utf8))
        return data
    }
}
