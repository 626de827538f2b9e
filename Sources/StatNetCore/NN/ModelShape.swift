/// The sizes of a four-branch model: inputs per branch, hidden units per branch, classes.
public struct ModelShape: Codable, Equatable, Sendable {
    public var inputCount: Int
    public var hiddenCount: Int
    public var classCount: Int
    /// One branch per feature channel.
    public let branchCount = FeatureChannel.count

    /// The paper's: 784 pixels in (a 28 x 28 MNIST digit), 1024 hidden units per branch, 10 digits out.
    public static let paper = ModelShape(inputCount: paperImageSide * paperImageSide, hiddenCount: 1024, classCount: 10)

    /// MNIST's images are 28 x 28 pixels (the library's `MNISTSplit.side`).
    public static let paperImageSide = 28

    public init(inputCount: Int, hiddenCount: Int, classCount: Int) {
        self.inputCount = inputCount
        self.hiddenCount = hiddenCount
        self.classCount = classCount
    }

    enum CodingKeys: String, CodingKey { case inputCount, hiddenCount, classCount }
}
