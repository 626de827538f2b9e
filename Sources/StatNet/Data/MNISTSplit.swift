/// One MNIST split: `count` images of 28x28 unsigned bytes in one contiguous buffer
/// (image i is `pixels[i*784 ..< (i+1)*784]`, row by row) and their labels 0...9.
public struct MNISTSplit: Sendable {
    /// Images are `side` x `side` pixels.
    public static let side = 28
    /// Pixels per image, the feature vector length D of FEATURES.md.
    public static let pixelCount = side * side
    /// Images in MNIST's training file (training and validation parts are drawn from them).
    public static let trainingImageCount = 60_000
    /// The digits 0...9.
    public static let classCount = 10
    public let pixels: [UInt8]
    public let labels: [UInt8]
    public var count: Int { labels.count }

    /// Image `index`, row by row.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        pixels[index * Self.pixelCount..<(index + 1) * Self.pixelCount]
    }

    public init(pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * Self.pixelCount, "pixels must hold \(Self.pixelCount) bytes per label")
        self.pixels = pixels
        self.labels = labels
    }
}

public enum MNISTSplitName: String, CaseIterable, Sendable {
    case train, test
    var imagesFile: String { self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte" }
    var labelsFile: String { self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte" }
}
