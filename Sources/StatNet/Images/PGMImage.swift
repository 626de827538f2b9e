import Foundation

/// PGM images: binary (P5) and plain (P2), 8 or 16 bit (maxval up to 65535), any size up to
/// `GreyImage.maximumSide`. Values are rescaled to 0...255.
public enum PGMImage {
    /// The most digits a header number or a plain pixel may have (65535 has five; leading zeros allowed).
    static let maximumDigits = 18

    /// A person's image, any size (see `ImageFile` for PGM and PNG alike).
    public static func decode(_ bytes: [UInt8], path: String) throws -> GreyImage {
        if bytes.isEmpty { throw DataError(path, .empty, "file is empty") }
        var i = 0
        func bad(_ why: String) -> DataError { DataError(path, .badImage, "invalid PGM: \(why)") }
        /// Netpbm's whitespace: blank, tab, line feed, vertical tab, form feed, carriage return.
        func isSpace(_ b: UInt8) -> Bool { b == 32 || (9...13).contains(b) }
        /// A comment runs from `#` to the end of its line (LF or CR), which it leaves in place.
        func skipComment() {
            while i < bytes.count && bytes[i] != 10 && bytes[i] != 13 { i += 1 }
        }
        func skipSpaceAndComments() {
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "#") { skipComment() } else if isSpace(bytes[i]) { i += 1 } else { return }
            }
        }
        /// A decimal number of at most `maximumDigits` digits, whole: a longer one is an error,
        /// never two numbers.
        func number(_ what: String) throws -> Int {
            skipSpaceAndComments()
            let start = i
            while i < bytes.count, (48...57).contains(bytes[i]) { i += 1 }
            guard i > start else { throw bad("expected the \(what) as a decimal number") }
            guard i - start <= Self.maximumDigits else { throw bad("the \(what) has \(i - start) digits, more than any PGM value") }
            if i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "#") {
                throw bad("the \(what) is followed by '\(Character(Unicode.Scalar(bytes[i])))', not by whitespace")
            }
            return bytes[start..<i].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2") else {
            throw bad("magic is not P5 or P2")
        }
        let binary = bytes[1] == UInt8(ascii: "5")
        i = 2
        let width = try number("width"), height = try number("height"), maxval = try number("maxval")
        guard width >= 1, height >= 1 else { throw bad("image is \(width)x\(height): empty") }
        guard width <= GreyImage.maximumSide, height <= GreyImage.maximumSide else {
            throw DataError(path, .tooLarge, "image is \(width)x\(height), larger than the \(GreyImage.maximumSide)x\(GreyImage.maximumSide) accepted")
        }
        guard (1...65535).contains(maxval) else { throw bad("maxval \(maxval) is not in 1...65535") }
        let count = width * height
        let wide = maxval > 255
        var raw = [Int](repeating: 0, count: count)
        if binary {
            // One whitespace byte ends the header (a comment right after maxval first, as
            // libnetpbm reads it). A CR LF pair counts as one when the pixels need exactly the
            // bytes after both (a file written with Windows line ends).
            if i < bytes.count, bytes[i] == UInt8(ascii: "#") { skipComment() }
            let needed = count * (wide ? 2 : 1)
            let crlf = i + 1 < bytes.count && bytes[i] == 13 && bytes[i + 1] == 10 && bytes.count - (i + 2) == needed
            i += crlf ? 2 : 1
            guard bytes.count - i >= needed else { throw bad("pixel data is truncated: \(max(0, bytes.count - i)) of \(needed) bytes") }
            for p in 0..<count { raw[p] = wide ? Int(bytes[i + 2 * p]) << 8 | Int(bytes[i + 2 * p + 1]) : Int(bytes[i + p]) }
        } else {
            for p in 0..<count { raw[p] = try number("pixel \(p)") }
        }
        if let p = raw.firstIndex(where: { $0 > maxval }) { throw bad("pixel \(p) is \(raw[p]), above maxval \(maxval)") }
        return GreyImage(width: width, height: height, pixels: raw.map { UInt8(($0 * 255 + maxval / 2) / maxval) })
    }

    /// An MNIST digit as it is, with no preprocessing: exactly `side` x `side`, 8 bit, light
    /// ink on black as in MNIST.
    static func parse(_ bytes: [UInt8], path: String, side: Int = MNISTSplit.side) throws -> [UInt8] {
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2"),
           let header = String(bytes: bytes.prefix(64), encoding: .ascii) {
            // An 8-bit 28x28 digit only; say which rule a larger or deeper image breaks.
            let fields = header.split(whereSeparator: { " \n\r\t".contains($0) }).dropFirst().prefix(3).compactMap { Int($0) }
            if fields.count == 3, fields[2] > 255 {
                throw DataError(path, .badImage, "invalid PGM: maxval \(fields[2]) is not in 1...255 (8-bit only for a raw digit; predict reads 16-bit images)")
            }
        }
        let image = try decode(bytes, path: path)
        guard image.width == side, image.height == side else {
            throw DataError(path, .badImage, "invalid PGM: image is \(image.width)x\(image.height), expected \(side)x\(side) "
                            + "(a raw MNIST digit; `statnet predict` without --raw reads any size and makes an MNIST digit of it)")
        }
        return image.pixels
    }

    public static func read(path: String, side: Int = MNISTSplit.side) throws -> [UInt8] {
        try parse(try ImageFile.bytes(of: path), path: path, side: side)
    }

    /// Writes an 8-bit binary PGM (used by tests and to export a digit).
    public static func encode(_ pixels: [UInt8], side: Int = MNISTSplit.side) -> [UInt8] {
        encode(GreyImage(width: side, height: side, pixels: pixels))
    }

    public static func encode(_ image: GreyImage) -> [UInt8] {
        Array("P5\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }
}
