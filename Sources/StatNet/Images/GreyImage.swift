/// A grey image of any size: luminance row by row, 0 black to 255 white (as a PGM or PNG
/// shows it). MNIST's digits are the other way round, light ink on black; `DigitPreprocessor`
/// turns a person's image into one.
public struct GreyImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    /// The largest side accepted from a file: 4096 pixels (16 MB of pixels at most).
    public static let maximumSide = 4_096

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }
}
