import Foundation
import XCTest
import StatNet

/// Every kind of bad IDX input gets a clear `DataError` naming the file; nothing crashes.
final class IDXFileTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    @discardableResult
    func write(_ bytes: [UInt8], _ name: String) -> String {
        let p = path(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func header(_ dims: [UInt32], type: UInt8 = 8) -> [UInt8] {
        [0, 0, type, UInt8(dims.count)] + dims.flatMap { d in (0..<4).map { UInt8(d >> (24 - 8 * $0) & 0xff) } }
    }

    func testRoundTripPlainAndGzip() throws {
        let file = IDXFile(dimensions: [3, 2, 2], bytes: Array(0..<12))
        for compressed in [false, true] {
            let p = path(compressed ? "a.gz" : "a")
            try file.write(to: p, compressed: compressed)
            let back = try IDXFile.read(path: p)
            XCTAssertEqual(back.dimensions, [3, 2, 2])
            XCTAssertEqual(back.bytes, Array(0..<12))
        }
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: path("a.gz"))).prefix(2), Data([0, 0]), "gzip'd file starts with the gzip magic")
    }

    func testMissingFile() {
        assertThrowsDataError(.missing, mentioning: path("nope")) { _ = try IDXFile.read(path: path("nope")) }
    }

    func testDirectoryInsteadOfFile() throws {
        try FileManager.default.createDirectory(atPath: path("d"), withIntermediateDirectories: true)
        assertThrowsDataError(.isDirectory, mentioning: path("d")) { _ = try IDXFile.read(path: path("d")) }
    }

    func testEmptyFile() {
        let p = write([], "empty")
        assertThrowsDataError(.empty, mentioning: p) { _ = try IDXFile.read(path: p) }
    }

    func testWrongMagic() {
        let p = write([1, 2, 8, 1, 0, 0, 0, 1, 5], "magic")
        assertThrowsDataError(.badMagic, mentioning: p) { _ = try IDXFile.read(path: p) }
        let q = write(header([1], type: 0x0D) + [0, 0, 0, 0], "float")
        assertThrowsDataError(.badMagic, mentioning: q) { _ = try IDXFile.read(path: q) }
        let r = write([0, 0, 8, 0], "rank0")
        assertThrowsDataError(.badMagic, mentioning: r) { _ = try IDXFile.read(path: r) }
    }

    func testTruncatedHeader() {
        let p = write([0, 0, 8], "short-magic")
        assertThrowsDataError(.truncatedHeader, mentioning: p) { _ = try IDXFile.read(path: p) }
        let q = write([0, 0, 8, 3, 0, 0, 0, 2, 0, 0], "short-dims")
        assertThrowsDataError(.truncatedHeader, mentioning: q) { _ = try IDXFile.read(path: q) }
    }

    func testTruncatedData() {
        let p = write(header([10, 28, 28]) + [UInt8](repeating: 1, count: 100), "short-data")
        assertThrowsDataError(.truncatedData, mentioning: p) { _ = try IDXFile.read(path: p) }
    }

    func testTrailingBytes() {
        let p = write(header([2]) + [1, 2, 3], "trailing")
        assertThrowsDataError(.trailingBytes, mentioning: p) { _ = try IDXFile.read(path: p) }
    }

    /// Dimensions whose product overflows, or that promise far more than the file holds, are
    /// refused before any allocation of that size.
    func testHugeOrOverflowingDimensions() {
        let p = write(header([0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]), "overflow")
        assertThrowsDataError(.tooLarge, mentioning: p) { _ = try IDXFile.read(path: p) }
        let q = write(header([60000, 28, 28]) + [1, 2, 3], "lying")
        assertThrowsDataError(.truncatedData, mentioning: q) { _ = try IDXFile.read(path: q) }
        let r = write(header([0x7FFF_FFFF, 0x7FFF_FFFF]), "big-product")
        assertThrowsDataError(.tooLarge, mentioning: r) { _ = try IDXFile.read(path: r) }
    }

    func testCorruptGzip() throws {
        let good = IDXFile(dimensions: [1000], bytes: (0..<1000).map { UInt8($0 % 251) })
        try good.write(to: path("good.gz"), compressed: true)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("good.gz"))))
        // Damage the deflate stream in the middle.
        for i in 20..<min(40, bytes.count - 8) { bytes[i] ^= 0x5A }
        let p = write(bytes, "corrupt.gz")
        assertThrowsDataError(.corruptCompression, mentioning: p) { _ = try IDXFile.read(path: p) }
        // A gzip stream cut short.
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("good.gz"))))
        let q = write(Array(original.prefix(original.count / 2)), "cut.gz")
        XCTAssertThrowsError(try IDXFile.read(path: q)) { error in
            XCTAssertTrue([.corruptCompression, .truncatedData].contains((error as? DataError)?.kind), "\(error)")
            XCTAssertTrue("\(error)".contains(q))
        }
    }

    /// Thousands of randomly mutated small IDX files (plain and gzip'd): each one either reads
    /// to a result consistent with its header or gives a DataError; never a crash or a hang.
    func testFuzzMutatedFiles() throws {
        var rng = SplitMix64(seed: 2024)
        let base = IDXFile(dimensions: [3, 4, 4], bytes: (0..<48).map { UInt8($0) })
        let plain = base.header + base.bytes
        try base.write(to: path("base.gz"), compressed: true)
        let gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("base.gz"))))
        var valid = 0, errors = 0
        for trial in 0..<3000 {
            var bytes = trial % 2 == 0 ? plain : gz
            switch rng.next() % 4 {
            case 0:  // flip a few bytes
                for _ in 0..<(1 + rng.next() % 4) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 1:  // cut the end off
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            case 2:  // append junk
                bytes += (0..<(1 + rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            default:  // rewrite a header byte (dims, rank, type)
                if bytes.count > 8 { bytes[Int(rng.next() % 8)] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            let p = write(bytes, "fuzz")
            do {
                let file = try IDXFile.read(path: p)
                XCTAssertEqual(file.dimensions.reduce(1, *), file.bytes.count)
                valid += 1
            } catch let error as DataError {
                XCTAssertTrue(error.description.hasPrefix(p), "\(error)")
                errors += 1
            }
        }
        XCTAssertGreaterThan(errors, 1000)
        XCTAssertGreaterThan(valid, 50, "some mutations (a changed pixel) leave a valid file")
    }
}
