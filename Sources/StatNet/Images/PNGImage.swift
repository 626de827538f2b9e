import CPNG
import Foundation

/// PNG images through Debian's libpng (every colour type, 8 and 16 bit, palettes, interlacing),
/// turned grey as people expect: alpha composited on white, then the usual luma weights
/// (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B).
enum PNGImage {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func decode(_ bytes: [UInt8], path: String) throws -> GreyImage {
        guard bytes.count >= signature.count, Array(bytes.prefix(signature.count)) == signature else {
            throw DataError(path, .badImage, "invalid PNG: wrong signature")
        }
        var message = [CChar](repeating: 0, count: 256)
        func failure(_ what: String) -> DataError {
            let text = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return DataError(path, .badImage, "invalid PNG: \(what): " + String(decoding: text, as: UTF8.self))
        }
        var width: UInt32 = 0, height: UInt32 = 0
        let sized = bytes.withUnsafeBytes { statnet_png_size($0.baseAddress, $0.count, &width, &height, &message, message.count) }
        guard sized == 0 else { throw failure("cannot read its header") }
        guard width >= 1, height >= 1 else { throw DataError(path, .badImage, "invalid PNG: image is \(width)x\(height): empty") }
        guard width <= UInt32(GreyImage.maximumSide), height <= UInt32(GreyImage.maximumSide) else {
            throw DataError(path, .tooLarge, "image is \(width)x\(height), larger than the \(GreyImage.maximumSide)x\(GreyImage.maximumSide) accepted")
        }
        let (w, h) = (Int(width), Int(height))
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        let read = bytes.withUnsafeBytes { source in
            rgba.withUnsafeMutableBufferPointer { statnet_png_read_rgba(source.baseAddress, source.count, $0.baseAddress, $0.count, &message, message.count) }
        }
        guard read == 0 else { throw failure("cannot read its pixels") }
        var grey = [UInt8](repeating: 0, count: w * h)
        for p in 0..<w * h {
            let a = Double(rgba[4 * p + 3]) / 255
            func onWhite(_ c: UInt8) -> Double { Double(c) * a + 255 * (1 - a) }
            let y = 0.299 * onWhite(rgba[4 * p]) + 0.587 * onWhite(rgba[4 * p + 1]) + 0.114 * onWhite(rgba[4 * p + 2])
            grey[p] = UInt8(min(255, max(0, y.rounded())))
        }
        return GreyImage(width: w, height: h, pixels: grey)
    }

    /// Writes an 8-bit grey PNG (tests, exporting a digit).
    static func write(_ image: GreyImage, to path: String) throws {
        let status = image.pixels.withUnsafeBufferPointer {
            statnet_png_write_gray(path, $0.baseAddress, UInt32(image.width), UInt32(image.height))
        }
        guard status == 0 else { throw FileWriteError.failed(path: path, reason: "libpng could not write the PNG") }
    }
}
