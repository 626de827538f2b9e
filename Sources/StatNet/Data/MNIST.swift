import Foundation

/// The MNIST data set: finds, reads and checks the four standard files.
public struct MNIST: Sendable {
    public let train: MNISTSplit
    public let test: MNISTSplit

    /// The four standard file names (without `.gz`).
    public static let fileNames = MNISTSplitName.allCases.flatMap { [$0.imagesFile, $0.labelsFile] }

    /// SHA-256 of the decompressed files of the real MNIST (LeCun et al.).
    public static let sha256: [String: String] = [
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ]

    /// The data folder: `explicit` (a `--data` option), else `$STATNET_DATA`, else `./data/mnist`.
    public static func resolveDirectory(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment["STATNET_DATA"], !env.isEmpty { return env }
        return "data/mnist"
    }

    /// The path of a standard file in `directory`: the `.gz` if present, else the plain file.
    public static func path(of name: String, in directory: String) throws -> String {
        let gz = (directory as NSString).appendingPathComponent(name + ".gz")
        let plain = (directory as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: gz) { return gz }
        if FileManager.default.fileExists(atPath: plain) { return plain }
        throw DataError(plain, .missing, "missing: neither \(name).gz nor \(name) is in \(directory) (run `statnet data download`, or pass --data DIR / set STATNET_DATA)")
    }

    public init(train: MNISTSplit, test: MNISTSplit) {
        self.train = train
        self.test = test
    }

    /// Reads and checks both splits. With `verifyChecksums` the decompressed bytes must be
    /// the real MNIST's; without, any well-formed files of the same shape are accepted.
    public static func load(directory: String, verifyChecksums: Bool = true) throws -> MNIST {
        MNIST(train: try loadSplit(.train, directory: directory, verifyChecksums: verifyChecksums),
              test: try loadSplit(.test, directory: directory, verifyChecksums: verifyChecksums))
    }

    public static func loadSplit(_ split: MNISTSplitName, directory: String, verifyChecksums: Bool = true) throws -> MNISTSplit {
        let imagesPath = try path(of: split.imagesFile, in: directory)
        let labelsPath = try path(of: split.labelsFile, in: directory)
        let images = try IDXFile.read(path: imagesPath)
        let labels = try IDXFile.read(path: labelsPath)
        let result = try checkedSplit(images: images, imagesPath: imagesPath, labels: labels, labelsPath: labelsPath)
        if verifyChecksums {
            try verifyChecksum(images, name: split.imagesFile, path: imagesPath)
            try verifyChecksum(labels, name: split.labelsFile, path: labelsPath)
        }
        return result
    }

    /// Structural checks shared by every loader: 28x28 images, as many labels as images, labels 0...9.
    static func checkedSplit(images: IDXFile, imagesPath: String, labels: IDXFile, labelsPath: String) throws -> MNISTSplit {
        guard images.dimensions.count == 3, images.dimensions[1] == MNISTSplit.side, images.dimensions[2] == MNISTSplit.side else {
            throw DataError(imagesPath, .wrongShape, "images have dimensions \(images.dimensions), expected [count, 28, 28]")
        }
        guard labels.dimensions.count == 1 else {
            throw DataError(labelsPath, .wrongShape, "labels have dimensions \(labels.dimensions), expected [count]")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw DataError(labelsPath, .countMismatch, "\(labels.dimensions[0]) labels for \(images.dimensions[0]) images in \(imagesPath)")
        }
        if let bad = labels.bytes.firstIndex(where: { Int($0) >= MNISTSplit.classCount }) {
            throw DataError(labelsPath, .labelOutOfRange, "label \(labels.bytes[bad]) at index \(bad) is outside 0...9")
        }
        return MNISTSplit(pixels: images.bytes, labels: labels.bytes)
    }

    static func verifyChecksum(_ file: IDXFile, name: String, path: String) throws {
        guard let expected = sha256[name] else { return }
        let actual = file.sha256Hex
        guard actual == expected else {
            throw DataError(path, .checksumMismatch, "SHA-256 of the decompressed bytes is \(actual), the real MNIST \(name) has \(expected)")
        }
    }
}
