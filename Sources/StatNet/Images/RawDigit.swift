/// An image file that already is an MNIST digit, taken as it is (`--raw`): exactly 28 x 28,
/// light ink on black, as a PGM (8-bit, the exact bytes) or a PNG (its grey levels).
public enum RawDigit {
    /// The 784 pixels of the digit in `path`, or an error that names the file and the rule it breaks.
    public static func read(_ path: String, side: Int = MNISTSplit.side) throws -> [UInt8] {
        let bytes = try ImageFile.bytes(of: path)
        guard bytes.starts(with: PNGImage.signature) else { return try PGMImage.parse(bytes, path: path, side: side) }
        let image = try PNGImage.decode(bytes, path: path)
        guard image.width == side, image.height == side else {
            throw DataError(path, .badImage, "the image is \(image.width)x\(image.height), expected \(side)x\(side) for a raw MNIST digit "
                            + "(without --raw any size is read and made into an MNIST digit)")
        }
        return image.pixels
    }
}
