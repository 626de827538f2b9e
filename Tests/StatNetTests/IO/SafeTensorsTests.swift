import Foundation
import XCTest
@testable import StatNet

final class SafeTensorsTests: XCTestCase {
    func sample() -> SafeTensors {
        var f = SafeTensors()
        f.set("a", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        f.set("b", unsigned: [7, UInt64.max])
        f.metadata = ["k": "v"]
        return f
    }

    func testRoundTripAndLayout() throws {
        let data = [UInt8](sample().encoded())
        let headerLength = Int(data[0]) | Int(data[1]) << 8
        XCTAssertEqual((8 + headerLength) % 8, 0, "data starts 8-byte aligned")
        let back = try SafeTensors.decode(data, path: "x")
        XCTAssertEqual(back, sample())
        XCTAssertEqual(try back.floats("a", shape: [2, 3], file: "x"), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try back.unsigned("b", count: 2, file: "x"), [7, UInt64.max])
        let header = try JSONSerialization.jsonObject(with: Data(data[8..<8 + headerLength])) as! [String: Any]
        XCTAssertEqual((header["a"] as! [String: Any])["dtype"] as? String, "F32")
        XCTAssertEqual((header["a"] as! [String: Any])["data_offsets"] as? [Int], [0, 24])
    }

    /// Truncated, corrupted or mismatched files give a clear error naming the file.
    func testBadFiles() {
        let good = [UInt8](sample().encoded())
        var huge = good
        huge[6] = 0xFF
        var badJSON = good
        badJSON[9] = UInt8(ascii: "!")
        let cases: [(String, [UInt8])] = [
            ("empty", []), ("short", [1, 2, 3]), ("truncated", Array(good.prefix(good.count - 5))),
            ("huge-header", huge), ("bad-json", badJSON), ("trailing", good + [0, 0, 0, 0]),
        ]
        for (name, bytes) in cases {
            XCTAssertThrowsError(try SafeTensors.decode(bytes, path: "\(name).safetensors"), name) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(name).safetensors: "), "\(error)")
            }
        }
        let f = sample()
        XCTAssertThrowsError(try f.floats("a", shape: [3, 2], file: "m")) { XCTAssertTrue("\($0)".contains("expected F32 [3, 2]"), "\($0)") }
        XCTAssertThrowsError(try f.floats("zz", shape: [1], file: "m")) { XCTAssertTrue("\($0)".contains("zz is missing"), "\($0)") }
    }

    /// Random byte flips and cuts never crash the reader: each file either decodes to tensors
    /// whose bytes fit their shapes, or is a `malformed` error that names the file.
    func testFuzzedFiles() {
        let good = [UInt8](sample().encoded())
        var rng = SplitMix64(seed: 5)
        var decoded = 0, malformed = 0
        for _ in 0..<2000 {
            var bytes = good
            for _ in 0..<(1 + rng.next() % 3) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            if rng.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count)))) }
            do {
                let file = try SafeTensors.decode(bytes, path: "fuzz.safetensors")
                for (name, tensor) in file.tensors {
                    XCTAssertEqual(tensor.shape.reduce(1, *) * tensor.dtype.size, tensor.bytes.count, name)
                }
                decoded += 1
            } catch let error as CheckpointError {
                guard case .malformed(let path, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, "fuzz.safetensors")
                malformed += 1
            } catch {
                XCTFail("not a CheckpointError: \(error)")
            }
        }
        XCTAssertEqual(decoded + malformed, 2000)
        XCTAssertGreaterThan(malformed, 500, "most mutations break the header")
        XCTAssertGreaterThan(decoded, 50, "some only change tensor bytes")
    }
}
