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

    /// Netpbm's grammar, to the letter: a P5 written with CR LF line ends reads as with LF (the
    /// pixel count says the CR LF is one line end); a comment right after maxval ends the header
    /// with its newline; vertical tab and form feed are whitespace; a number too long is an
    /// error, never two numbers.
    func testHeaderGrammar() throws {
        let pixels = (0..<784).map { UInt8(($0 * 7) % 256) }
        XCTAssertEqual(try PGMImage.parse(Array("P5\r\n28 28\r\n255\r\n".utf8) + pixels, path: "crlf.pgm"), pixels)
        var startsWithLF = pixels
        startsWithLF[0] = 10
        XCTAssertEqual(try PGMImage.parse(Array("P5\n28 28\n255\r".utf8) + startsWithLF, path: "cr.pgm"), startsWithLF,
                       "one CR ends the header; a first pixel of 10 stays a pixel")
        XCTAssertEqual(try PGMImage.parse(Array("P5\n28 28\n255#made by hand\n".utf8) + pixels, path: "comment.pgm"), pixels)
        XCTAssertEqual(try PGMImage.parse(Array("P5\u{0B}28\u{0C}28 255\n".utf8) + pixels, path: "vt.pgm"), pixels)
        let long = "P2\n28 28\n255\n" + (0..<784).map { $0 == 5 ? "1234567890123456789" : "0" }.joined(separator: " ")
        XCTAssertThrowsError(try PGMImage.parse(Array(long.utf8), path: "long.pgm")) { XCTAssertTrue("\($0)".contains("19 digits"), "\($0)") }
        let ten = "P2\n28 28\n255\n" + (0..<784).map { $0 == 5 ? "0000000255" : "0" }.joined(separator: " ")
        XCTAssertEqual(try PGMImage.parse(Array(ten.utf8), path: "zeros.pgm")[5], 255, "leading zeros are one number")
        XCTAssertThrowsError(try PGMImage.parse(Array("P5\n28x28\n255\n".utf8) + pixels, path: "x.pgm")) {
            XCTAssertTrue("\($0)".contains("followed by 'x'"), "\($0)")
        }
    }

    /// `--raw` reads a 28 x 28 PNG too, and says when an image is not 28 x 28.
    func testRawDigitReadsPNGAndPGM() throws {
        let dir = try temporaryDirectory(self)
        let pixels = (0..<784).map { UInt8($0 % 200) }
        try Data(PGMImage.encode(pixels)).write(to: URL(fileURLWithPath: "\(dir)/d.pgm"))
        XCTAssertEqual(try RawDigit.read("\(dir)/d.pgm"), pixels)
        try PNGImage.write(GreyImage(width: 28, height: 28, pixels: pixels), to: "\(dir)/d.png")
        XCTAssertEqual(try RawDigit.read("\(dir)/d.png"), pixels)
        try PNGImage.write(GreyImage(width: 30, height: 28, pixels: [UInt8](repeating: 0, count: 840)), to: "\(dir)/w.png")
        XCTAssertThrowsError(try RawDigit.read("\(dir)/w.png")) { XCTAssertTrue("\($0)".contains("30x28, expected 28x28"), "\($0)") }
    }
}
