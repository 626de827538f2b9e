import Foundation
import XCTest
import StatNet

final class MNISTTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    /// Writes a small, well-formed MNIST-shaped split; the closure may spoil it.
    func writeSplit(images: Int = 5, labels: [UInt8]? = nil, side: Int = 28, compressed: Bool = true) throws {
        let ext = compressed ? ".gz" : ""
        try IDXFile(dimensions: [images, side, side], bytes: [UInt8](repeating: 7, count: images * side * side))
            .write(to: "\(dir)/train-images-idx3-ubyte\(ext)", compressed: compressed)
        let l = labels ?? (0..<images).map { UInt8($0 % 10) }
        try IDXFile(dimensions: [l.count], bytes: l).write(to: "\(dir)/train-labels-idx1-ubyte\(ext)", compressed: compressed)
    }

    func testRealMNIST() throws {
        let mnist = try SharedMNIST.get()
        XCTAssertEqual(mnist.train.count, 60000)
        XCTAssertEqual(mnist.test.count, 10000)
        XCTAssertEqual(mnist.train.labels.prefix(8), [5, 0, 4, 1, 9, 2, 1, 3])
        XCTAssertEqual(mnist.test.labels.prefix(4), [7, 2, 1, 0])
    }

    func testWellFormedSplitLoadsWithoutChecksums() throws {
        try writeSplit(compressed: false)
        let split = try MNIST.loadSplit(.train, directory: dir, verifyChecksums: false)
        XCTAssertEqual(split.count, 5)
        XCTAssertEqual(split.labels, [0, 1, 2, 3, 4])
    }

    func testChecksumMismatchNamesTheFile() throws {
        try writeSplit()
        assertThrowsDataError(.checksumMismatch, mentioning: "\(dir)/train-images-idx3-ubyte.gz") {
            _ = try MNIST.loadSplit(.train, directory: dir)
        }
    }

    func testCountMismatch() throws {
        try writeSplit(images: 5, labels: [1, 2, 3])
        assertThrowsDataError(.countMismatch, mentioning: "\(dir)/train-labels-idx1-ubyte.gz") {
            _ = try MNIST.loadSplit(.train, directory: dir, verifyChecksums: false)
        }
    }

    func testLabelOutOfRange() throws {
        try writeSplit(images: 3, labels: [1, 12, 3])
        assertThrowsDataError(.labelOutOfRange, mentioning: "\(dir)/train-labels-idx1-ubyte.gz") {
            _ = try MNIST.loadSplit(.train, directory: dir, verifyChecksums: false)
        }
    }

    func testWrongImageSize() throws {
        try writeSplit(images: 2, side: 27)
        assertThrowsDataError(.wrongShape, mentioning: "\(dir)/train-images-idx3-ubyte.gz") {
            _ = try MNIST.loadSplit(.train, directory: dir, verifyChecksums: false)
        }
    }

    func testMissingFileSaysHowToGetIt() throws {
        assertThrowsDataError(.missing, mentioning: "train-images-idx3-ubyte") {
            _ = try MNIST.loadSplit(.train, directory: dir)
        }
    }

    func testDataDirectoryResolution() {
        XCTAssertEqual(MNIST.resolveDirectory("/x/y"), "/x/y")
        if let env = ProcessInfo.processInfo.environment["STATNET_DATA"] {
            XCTAssertEqual(MNIST.resolveDirectory(nil), env)
        } else {
            XCTAssertEqual(MNIST.resolveDirectory(nil), "data/mnist")
        }
    }
}
