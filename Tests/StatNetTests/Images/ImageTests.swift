import Foundation
import XCTest
@testable import StatNet

/// Minimal PNG writer for the tests: any colour type and depth, stored (uncompressed) deflate
/// blocks, so every byte is known and a CRC can be broken on purpose.
enum PNGFixture {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8], breakCRC: Bool = false) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body) ^ (breakCRC ? 1 : 0))
    }

    /// `rows`: the raw scanline bytes of each row (without the filter byte).
    static func encode(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8, rows: [[UInt8]], palette: [UInt8]? = nil,
                       interlaced: Bool = false, breakHeaderCRC: Bool = false) -> [UInt8] {
        var raw: [UInt8] = []
        for row in rows { raw += [0] + row }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let final: UInt8 = offset + n == raw.count ? 1 : 0
            zlib += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)] + raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for x in raw { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        zlib += be32(b << 16 | a)
        let header = be32(UInt32(width)) + be32(UInt32(height)) + [bitDepth, colourType, 0, 0, interlaced ? 1 : 0]
        return PNGImage.signature + chunk("IHDR", header, breakCRC: breakHeaderCRC) + (palette.map { chunk("PLTE", $0) } ?? [])
            + chunk("IDAT", zlib) + chunk("IEND", [])
    }
}

final class ImageTests: XCTestCase {
    func decode(_ bytes: [UInt8], _ name: String = "x") throws -> GreyImage { try ImageFile.decode(bytes, path: name) }

    /// Every PNG kind: grey, grey+alpha, RGB, RGBA, palette, 8 and 16 bit; RGB by the usual luma
    /// weights, alpha composited on white.
    func testPNGColourTypesAndDepths() throws {
        // Two pixels per image: (pure red, or black) and (transparent, or white).
        let grey8 = PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 0, rows: [[0, 200]])
        XCTAssertEqual(try decode(grey8).pixels, [0, 200])
        let grey16 = PNGFixture.encode(width: 2, height: 1, bitDepth: 16, colourType: 0, rows: [[0x00, 0x00, 0xFF, 0xFF]])
        XCTAssertEqual(try decode(grey16).pixels, [0, 255])
        let greyAlpha = PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 4, rows: [[0, 255, 0, 0]])
        XCTAssertEqual(try decode(greyAlpha).pixels, [0, 255], "a transparent pixel is white")
        let rgb = PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 2, rows: [[255, 0, 0, 0, 0, 255]])
        XCTAssertEqual(try decode(rgb).pixels, [76, 29], "0.299 * 255 and 0.114 * 255")
        let rgba = PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 6, rows: [[0, 255, 0, 255, 0, 0, 0, 128]])
        XCTAssertEqual(try decode(rgba).pixels, [150, 127], "green 0.587 * 255; black at half alpha on white")
        let rgb16 = PNGFixture.encode(width: 1, height: 1, bitDepth: 16, colourType: 2, rows: [[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]])
        XCTAssertEqual(try decode(rgb16).pixels, [255])
        let palette = PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 3, rows: [[1, 0]], palette: [0, 0, 0, 255, 255, 255])
        XCTAssertEqual(try decode(palette).pixels, [255, 0])
        // The project's own writer reads back.
        let dir = try temporaryDirectory(self)
        let image = GreyImage(width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 255])
        try PNGImage.write(image, to: "\(dir)/g.png")
        XCTAssertEqual(try ImageFile.read("\(dir)/g.png"), image)
    }

    func testPGMAnySizeAnd16Bit() throws {
        let wide = Array("P5\n2 1\n65535\n".utf8) + [0x80, 0x00, 0xFF, 0xFF]
        XCTAssertEqual(try decode(wide).pixels, [128, 255])
        let plain = Array("P2\n3 2\n# comment\n10\n0 5 10 10 5 0".utf8)
        XCTAssertEqual(try decode(plain), GreyImage(width: 3, height: 2, pixels: [0, 128, 255, 255, 128, 0]))
    }

    /// Every bad image gets a clear error naming the file; none crashes or allocates a lot.
    func testBadImagesNameTheFile() throws {
        let good = PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 0, rows: [[0, 200]])
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "file is empty"),
            ("magic", Array("GIF89a".utf8), "not a PGM (P2/P5) or PNG image"),
            ("zero", Array("P5\n0 0\n255\n".utf8), "empty"),
            ("huge", Array("P5\n100000 100000\n255\n".utf8), "larger than the 4096x4096 accepted"),
            ("truncated-pgm", Array("P5\n10 10\n255\n".utf8) + [1, 2, 3], "truncated"),
            ("truncated-png", Array(good.prefix(good.count - 20)), "invalid PNG"),
            ("huge-png", PNGFixture.encode(width: 100_000, height: 100_000, bitDepth: 8, colourType: 0, rows: []), "larger than the 4096x4096 accepted"),
            ("bad-crc-interlaced", PNGFixture.encode(width: 2, height: 1, bitDepth: 8, colourType: 0, rows: [[0, 200]], interlaced: true, breakHeaderCRC: true), "invalid PNG"),
        ]
        for (name, bytes, text) in cases {
            XCTAssertThrowsError(try decode(bytes, "\(name).img"), name) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(name).img: ") && "\(error)".contains(text), "\(name): \(error)")
            }
        }
        let dir = try temporaryDirectory(self)
        XCTAssertThrowsError(try ImageFile.read(dir)) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
        XCTAssertEqual(mkfifo("\(dir)/fifo.png", 0o644), 0)
        XCTAssertThrowsError(try ImageFile.read("\(dir)/fifo.png")) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertThrowsError(try DigitPreprocessor.mnistDigit(from: GreyImage(width: 5, height: 5, pixels: .init(repeating: 255, count: 25)), path: "blank.png")) {
            XCTAssertEqual(($0 as? DataError)?.kind, .noInk)
            XCTAssertTrue("\($0)".hasPrefix("blank.png: no ink found"), "\($0)")
        }
    }

    /// Each step against a hand-computed case.
    func testPreprocessingSteps() throws {
        // Inversion and the centre of mass: a dark 2x2 square on white in a 10x10 image is
        // inverted, its box (2x2) enlarged to 20x20 (all ink), whose centre of mass (9.5, 9.5)
        // goes to 14: offset round(4.5) = 5, so rows and columns 5...24 are ink.
        var pixels = [UInt8](repeating: 255, count: 100)
        for (x, y) in [(6, 2), (7, 2), (6, 3), (7, 3)] { pixels[y * 10 + x] = 0 }
        let (digit, steps) = try DigitPreprocessor.mnistDigit(from: GreyImage(width: 10, height: 10, pixels: pixels))
        XCTAssertTrue(steps.inverted)
        XCTAssertEqual(steps.threshold, 0)
        XCTAssertTrue(steps.box == (6, 2, 2, 2), "\(steps.box)")
        XCTAssertTrue(steps.scaled == (20, 20))
        XCTAssertTrue(steps.offset == (5, 5), "\(steps.offset)")
        for y in 0..<28 { for x in 0..<28 { XCTAssertEqual(digit[y * 28 + x], (5...24).contains(x) && (5...24).contains(y) ? 255 : 0, "\(x),\(y)") } }

        // Area averaging: a 40x40 box (in a black border) of columns alternately 255 and 55
        // halves to 20x20 pixels of (255 + 55) / 2 = 155: means of two columns, not samples.
        var stripes = [UInt8](repeating: 0, count: 44 * 44)
        for y in 2..<42 { for x in 2..<42 { stripes[y * 44 + x] = (x - 2) % 2 == 0 ? 255 : 55 } }
        let (halved, s2) = try DigitPreprocessor.mnistDigit(from: GreyImage(width: 44, height: 44, pixels: stripes))
        XCTAssertFalse(s2.inverted)
        XCTAssertTrue(s2.box == (2, 2, 40, 40) && s2.scaled == (20, 20), "\(s2.box) \(s2.scaled)")
        XCTAssertEqual(Set(halved.filter { $0 != 0 }), [155])
        XCTAssertEqual(halved.filter { $0 != 0 }.count, 400)

        // Background noise: a 30x30 checkerboard of 98 and 102 (paper grain) with a bright
        // 4x10 bar of 250. Border median 102 (the upper of the two middle values), deviations
        // 4 and 0, MAD 4: threshold 102 + ceil(3 * 1.4826 * 4) = 102 + 18 = 120. The grain goes
        // to 0, the bar is stretched from 120...250 to 255, its aspect ratio kept (4x10 -> 8x20).
        var noisy = (0..<900).map { UInt8(($0 / 30 + $0 % 30) % 2 == 0 ? 98 : 102) }
        for y in 10..<20 { for x in 13..<17 { noisy[y * 30 + x] = 250 } }
        let (clean, s3) = try DigitPreprocessor.mnistDigit(from: GreyImage(width: 30, height: 30, pixels: noisy))
        XCTAssertFalse(s3.inverted)
        XCTAssertEqual(s3.threshold, 120)
        XCTAssertTrue(s3.box == (13, 10, 4, 10), "\(s3.box)")
        XCTAssertTrue(s3.scaled == (8, 20))
        XCTAssertEqual(Set(clean), [0, 255])
        XCTAssertEqual(clean.filter { $0 == 255 }.count, 160)
    }

    /// MNIST's own test digits pass through unchanged (all but 4 of 10,000: three whose ink
    /// box is 19 pixels long, enlarged to 20, and one whose centre of mass sits on a
    /// half-pixel tie), and a model reads them the same either way.
    func testMNISTDigitsPassThroughUnchanged() throws {
        let mnist = try SharedMNIST.get()
        var changed: [Int] = []
        var digits: [[UInt8]] = []
        for i in 0..<mnist.test.count {
            let original = Array(mnist.test.image(i))
            let (digit, _) = try DigitPreprocessor.mnistDigit(from: GreyImage(width: 28, height: 28, pixels: original))
            if digit != original { changed.append(i) }
            digits.append(digit)
        }
        XCTAssertLessThanOrEqual(changed.count, 4, "\(changed)")
        var config = TrainingConfig(model: .statnet, preset: .physics)
        (config.trainSize, config.epochs, config.threads) = (10_000, 1, 2)
        let dir = try temporaryDirectory(self) + "/run"
        _ = try RunFolder.train(config: config, out: dir, mode: .new, data: { mnist }, observers: [])
        let model = try TrainedModel(folder: dir, batchCapacity: 64, threads: 2)
        func argmax(_ p: [Float]) -> Int { p.indices.reduce(0) { p[$1] > p[$0] ? $1 : $0 } }
        let with = try model.probabilities(of: digits).map(argmax)
        let without = try model.probabilities(indices: Array(0..<mnist.test.count), of: mnist.test, threads: 2).map(argmax)
        let differing = with.indices.filter { with[$0] != without[$0] }
        XCTAssertTrue(Set(differing).isSubset(of: Set(changed)), "only changed digits may be read otherwise: \(differing)")

        // Redrawn digits, as a person's drawing differs from MNIST: the first 1,000 test digits
        // enlarged three times, dark ink (5...250 levels inverted) on light paper, placed off
        // centre in a 160x120 canvas, written as PGM (even indices) and PNG (odd), read back and
        // preprocessed. Enlarged by pixel replication, preprocessing undoes it exactly (each
        // output pixel averages one 3x3 block); enlarged smoothly (bilinear), the strokes come
        // back a little blurred.
        let files = try temporaryDirectory(self)
        let count = 1_000
        let labels = (0..<count).map { Int(mnist.test.labels[$0]) }
        let original = zip(without.prefix(count), labels).filter { $0 == $1 }.count
        var figures: [String] = []
        for smooth in [false, true] {
            var rng = SplitMix64(seed: 7)
            var redrawn: [[UInt8]] = []
            for i in 0..<count {
                let big = GreyImage(width: 84, height: 84, pixels: Self.enlarged(Array(mnist.test.image(i)), by: 3, smooth: smooth))
                var canvas = [UInt8](repeating: 250, count: 160 * 120)
                let (ox, oy) = (Int(rng.next() % 76), Int(rng.next() % 36))
                for y in 0..<84 { for x in 0..<84 { canvas[(y + oy) * 160 + x + ox] = 250 - UInt8(Int(big[x, y]) * 245 / 255) } }
                let image = GreyImage(width: 160, height: 120, pixels: canvas)
                let path = "\(files)/\(i).\(i % 2 == 0 ? "pgm" : "png")"
                if i % 2 == 0 { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(PGMImage.encode(image)))) } else { try PNGImage.write(image, to: path) }
                redrawn.append(try DigitPreprocessor.mnistDigit(from: try ImageFile.read(path), path: path).pixels)
            }
            let read = zip(try model.probabilities(of: redrawn).map(argmax), labels).filter { $0 == $1 }.count
            figures.append("\(smooth ? "bilinear" : "replicated"): \(read)")
            // Within 0.3 points when replicated (rounding of the ink levels), 2 points when blurred.
            XCTAssertGreaterThanOrEqual(read, original - count * (smooth ? 20 : 3) / 1000, "redrawn (\(smooth ? "bilinear" : "replicated")) against the originals")
        }
        print("redrawn digits read right of \(count): originals \(original), " + figures.joined(separator: ", "))
    }

    /// A 28x28 digit enlarged by an integer factor: bilinear, or each pixel replicated.
    static func enlarged(_ pixels: [UInt8], by k: Int, smooth: Bool) -> [UInt8] {
        let side = 28, n = side * k
        var out = [UInt8](repeating: 0, count: n * n)
        if !smooth {
            for y in 0..<n { for x in 0..<n { out[y * n + x] = pixels[(y / k) * side + x / k] } }
            return out
        }
        for y in 0..<n {
            let fy = min(max((Double(y) + 0.5) / Double(k) - 0.5, 0), Double(side - 1))
            let y0 = Int(fy), y1 = min(y0 + 1, side - 1), ty = fy - Double(y0)
            for x in 0..<n {
                let fx = min(max((Double(x) + 0.5) / Double(k) - 0.5, 0), Double(side - 1))
                let x0 = Int(fx), x1 = min(x0 + 1, side - 1), tx = fx - Double(x0)
                func p(_ x: Int, _ y: Int) -> Double { Double(pixels[y * side + x]) }
                let v = (p(x0, y0) * (1 - tx) + p(x1, y0) * tx) * (1 - ty) + (p(x0, y1) * (1 - tx) + p(x1, y1) * tx) * ty
                out[y * n + x] = UInt8(v.rounded())
            }
        }
        return out
    }
}
