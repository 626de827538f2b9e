import Foundation

/// A user's own digit: a binary (P5) or plain (P2) PGM of 28x28 pixels, maxval <= 255.
/// Values are rescaled to 0...255 when maxval is smaller.
public enum PGMImage {
    public static func read(path: String, side: Int = MNISTSplit.side) throws -> [UInt8] {
        try DataError.requireRegularFile(path, expected: "a PGM image")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(path, .unreadable, "cannot read the file")
        }
        guard data.count <= 1 << 24 else { throw DataError(path, .tooLarge, "\(data.count) bytes is too large for a \(side)x\(side) PGM") }
        return try parse([UInt8](data), path: path, side: side)
    }

    public static func parse(_ bytes: [UInt8], path: String, side: Int = MNISTSplit.side) throws -> [UInt8] {
        if bytes.isEmpty { throw DataError(path, .empty, "file is empty") }
        var i = 0
        func bad(_ why: String) -> DataError { DataError(path, .badImage, "invalid PGM: \(why)") }
        func skipSpaceAndComments() {
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "#") {
                    while i < bytes.count && bytes[i] != 10 { i += 1 }
                } else if [9, 10, 13, 32].contains(bytes[i]) {
                    i += 1
                } else { return }
            }
        }
        func number(_ what: String) throws -> Int {
            skipSpaceAndComments()
            var value = 0, digits = 0
            while i < bytes.count, (48...57).contains(bytes[i]), digits < 9 {
                value = value * 10 + Int(bytes[i] - 48)
                i += 1
                digits += 1
            }
            guard digits > 0 else { throw bad("expected the \(what) as a decimal number") }
            return value
        }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2") else {
            throw bad("magic is not P5 or P2")
        }
        let binary = bytes[1] == UInt8(ascii: "5")
        i = 2
        let width = try number("width"), height = try number("height"), maxval = try number("maxval")
        guard width == side, height == side else { throw bad("image is \(width)x\(height), expected \(side)x\(side)") }
        guard (1...255).contains(maxval) else { throw bad("maxval \(maxval) is not in 1...255 (8-bit only)") }
        let count = side * side
        var raw = [Int](repeating: 0, count: count)
        if binary {
            i += 1  // exactly one whitespace byte ends the header
            guard bytes.count - i >= count else { throw bad("pixel data is truncated: \(max(0, bytes.count - i)) of \(count) bytes") }
            for p in 0..<count { raw[p] = Int(bytes[i + p]) }
        } else {
            for p in 0..<count { raw[p] = try number("pixel \(p)") }
        }
        if let p = raw.firstIndex(where: { $0 > maxval }) { throw bad("pixel \(p) is \(raw[p]), above maxval \(maxval)") }
        return raw.map { UInt8(($0 * 255 + maxval / 2) / maxval) }
    }

    /// Writes an 8-bit binary PGM (used by tests and to export a digit).
    public static func encode(_ pixels: [UInt8], side: Int = MNISTSplit.side) -> [UInt8] {
        Array("P5\n\(side) \(side)\n255\n".utf8) + pixels
    }
}
