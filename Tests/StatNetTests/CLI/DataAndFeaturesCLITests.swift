import Foundation
import XCTest
import StatNet

final class DataAndFeaturesCLITests: XCTestCase {
    var data: String { TestPaths.mnistDirectory }

    func testHelpListsSubcommands() throws {
        let r = try CLI.run(["--help"])
        XCTAssertEqual(r.status, 0)
        for sub in ["data", "features", "bench"] { XCTAssertTrue(r.stdout.contains(sub), r.stdout) }
    }

    func testDataVerifyOnRealMNIST() throws {
        _ = try SharedMNIST.get()
        let r = try CLI.run(["data", "verify", "--data", data])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("train: 60000 images"), r.stdout)
        XCTAssertTrue(r.stdout.contains("MNIST is sound"), r.stdout)
    }

    func testDataVerifyFailsOnABadFolderAndNamesTheFile() throws {
        let dir = try temporaryDirectory(self)
        try IDXFile(dimensions: [2, 28, 28], bytes: .init(repeating: 0, count: 2 * 784)).write(to: "\(dir)/train-images-idx3-ubyte.gz", compressed: true)
        _ = FileManager.default.createFile(atPath: "\(dir)/train-labels-idx1-ubyte", contents: Data([0, 0, 8, 1, 0, 0, 0, 2, 1]))
        let r = try CLI.run(["data", "verify", "--data", dir])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("\(dir)/train-labels-idx1-ubyte: truncated data"), r.stdout)
        XCTAssertTrue(r.stdout.contains("t10k-images-idx3-ubyte"), "the missing test split is named: \(r.stdout)")
    }

    /// `--format json` carries the test vectors' names and values.
    func testFeaturesJSONMatchesTestVector() throws {
        _ = try SharedMNIST.get()
        let r = try CLI.run(["features", "--data", data, "--variant", "reference", "--split", "test", "--index", "1", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let vectors = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.shared.appendingPathComponent("testdata/features/reference.json"))) as! [String: Any]
        let expected = (vectors["cases"] as! [[String: Any]]).first { $0["case"] as? String == "mnist-test[1]" }!
        for name in ["energy", "level", "entropy", "meanEnergy"] {
            XCTAssertEqual(object[name] as? [Double], expected[name] as? [Double], name)
        }
        XCTAssertEqual(object["label"] as? Int, 2)
    }

    /// `--raw` takes a 28x28 PGM as it is; without it the image is made into an MNIST digit
    /// first (the ink is centred by its centre of mass), as `statnet predict` does.
    func testFeaturesFromAPGMImageAndCSV() throws {
        let dir = try temporaryDirectory(self)
        var pixels = [UInt8](repeating: 0, count: MNISTSplit.pixelCount)
        for p in 300..<320 { pixels[p] = 200 }
        _ = FileManager.default.createFile(atPath: "\(dir)/digit.pgm", contents: Data(PGMImage.encode(pixels)))
        let raw = try CLI.run(["features", "--image", "\(dir)/digit.pgm", "--raw", "--format", "csv"])
        XCTAssertEqual(raw.status, 0, raw.stderr)
        let lines = raw.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, MNISTSplit.pixelCount + 1)
        XCTAssertEqual(lines[0], "position,row,column,pixel,energy,level,entropy,meanEnergy")
        XCTAssertTrue(lines[301].hasPrefix("300,10,20,200,255.0,16.0,"), String(lines[301]))

        let made = try CLI.run(["features", "--image", "\(dir)/digit.pgm", "--format", "csv"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let expected = try DigitPreprocessor.mnistDigit(from: try ImageFile.read("\(dir)/digit.pgm"), path: "\(dir)/digit.pgm").pixels
        XCTAssertNotEqual(expected, pixels, "the stroke was moved to the centre")
        let inputs = made.stdout.split(separator: "\n").dropFirst().map { UInt8($0.split(separator: ",")[3])! }
        XCTAssertEqual(inputs, expected)
    }

    func testFeaturesRejectsInvalidPGMAndBadIndex() throws {
        let dir = try temporaryDirectory(self)
        _ = FileManager.default.createFile(atPath: "\(dir)/bad.pgm", contents: Data("P5\n27 28\n255\n".utf8))
        let r = try CLI.run(["features", "--image", "\(dir)/bad.pgm"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(dir)/bad.pgm: invalid PGM: pixel data is truncated: 0 of 756 bytes"), r.stderr)
        // A whole 27x28 image is a fine drawing, but not a raw MNIST digit.
        _ = FileManager.default.createFile(atPath: "\(dir)/small.pgm", contents: Data(PGMImage.encode(GreyImage(width: 27, height: 28, pixels: [UInt8](repeating: 0, count: 27 * 28)))))
        let small = try CLI.run(["features", "--image", "\(dir)/small.pgm", "--raw"])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.stderr.contains("\(dir)/small.pgm: invalid PGM: image is 27x28"), small.stderr)
        _ = try SharedMNIST.get()
        let s = try CLI.run(["features", "--data", data, "--index", "10000"])
        XCTAssertNotEqual(s.status, 0)
        XCTAssertTrue(s.stderr.contains("--index 10000 is outside 0..<10000"), s.stderr)
    }

    func testBenchFeaturesJSON() throws {
        _ = try SharedMNIST.get()
        let r = try CLI.run(["bench", "features", "--data", data, "--variant", "boltzmann", "--repeats", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["variant"] as? String, "boltzmann")
        XCTAssertEqual(object["images"] as? Int, 70000)
        XCTAssertGreaterThan(object["seconds"] as? Double ?? 0, 0)
        XCTAssertNotNil(object["images_per_s"])
    }
}
