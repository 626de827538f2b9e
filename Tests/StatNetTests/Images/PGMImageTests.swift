import XCTest
@testable import StatNet

final class PGMImageTests: XCTestCase {
    func testBinaryRoundTrip() throws {
        let pixels = (0..<784).map { UInt8($0 % 256) }
        XCTAssertEqual(try PGMImage.parse(PGMImage.encode(pixels), path: "x.pgm"), pixels)
    }

    func testPlainWithCommentAndSmallMaxval() throws {
        let text = "P2\n# a comment\n28 28\n15\n" + (0..<784).map { _ in "15" }.joined(separator: " ")
        XCTAssertEqual(try PGMImage.parse(Array(text.utf8), path: "x.pgm"), .init(repeating: 255, count: 784))
    }

    func testInvalidInputsNameTheFile() {
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("magic", Array("P6\n28 28\n255\n".utf8)),
            ("size", Array("P5\n28 27\n255\n".utf8) + .init(repeating: 0, count: 756)),
            ("maxval", Array("P5\n28 28\n65535\n".utf8)),
            ("truncated", Array("P5\n28 28\n255\n".utf8) + .init(repeating: 0, count: 100)),
            ("no-number", Array("P5\nxx 28\n255\n".utf8)),
            ("above-maxval", Array(("P2\n28 28\n9\n" + (0..<784).map { _ in "10" }.joined(separator: " ")).utf8)),
        ]
        for (name, bytes) in cases {
            XCTAssertThrowsError(try PGMImage.parse(bytes, path: "\(name).pgm"), name) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(name).pgm: "), "\(error)")
            }
        }
    }
}
