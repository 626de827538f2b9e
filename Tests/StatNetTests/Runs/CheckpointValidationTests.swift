import Foundation
import XCTest
import StatNet

/// Every value read from a checkpoint is checked before use: no trap, no huge allocation, no
/// silent wrong result, whatever the file holds.
final class CheckpointValidationTests: XCTestCase {
    /// A state file with small tensors and the given metadata config (loading reads and checks
    /// the configuration before any tensor).
    func stateFile(config: String, completed: String = "1", extra: (inout SafeTensors) -> Void = { _ in }) throws -> String {
        var file = SafeTensors()
        file.set("adam.step", unsigned: [1])
        file.metadata = ["format": "statnet-state", "config": config, "completed_epochs": completed]
        extra(&file)
        let path = try temporaryDirectory(self) + "/state.safetensors"
        try file.write(to: path)
        return path
    }

    func validConfigJSON(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let data = try JSONEncoder().encode(TrainingConfig())
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        change(&object)
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func assertCheckpointError(_ path: String, mentioning text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Checkpoint.loadState(from: path), file: file, line: line) { error in
            guard let e = error as? CheckpointError else { return XCTFail("not a CheckpointError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.path, path, file: file, line: line)
            XCTAssertTrue("\(e)".contains(text), "\(e) does not mention \(text)", file: file, line: line)
        }
    }

    func testBadConfigurationsAreRefusedWithTheRuleBroken() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("dropout must be in [0, 1)", { $0["dropout"] = 1.5 }),
            ("branch channels must be 4 values", { $0["branchChannels"] = [7, 7, 7, 7] }),
            ("branch channels must be 4 values", { $0["branchChannels"] = [0, 0, 0] }),
            ("batch size must be at least 1", { $0["batchSize"] = 0 }),
            ("batch size must be at least 1", { $0["batchSize"] = -64 }),
            ("batch size must be at most 4096", { $0["batchSize"] = 100_000_000 }),
            ("epochs must be at least 1", { $0["epochs"] = 0 }),
            ("threads must be at most", { $0["threads"] = Int.max }),
            ("train size", { $0["trainSize"] = 1 << 62 }),
            ("validation size", { $0["validationSize"] = -5 }),
            ("learning rate", { $0["learningRate"] = -1e-3 }),
            ("cannot be read", { $0["epochs"] = 1e300 }),
            ("cannot be read", { $0["model"] = "resnet" }),
        ]
        for (text, change) in cases {
            assertCheckpointError(try stateFile(config: try validConfigJSON(change)), mentioning: text)
        }
        assertCheckpointError(try stateFile(config: try validConfigJSON(), completed: "9223372036854775807"), mentioning: "completed_epochs")
        assertCheckpointError(try stateFile(config: "not json"), mentioning: "config")
    }

    /// Values at the integer limits and non-finite numbers in the tensors.
    func testTensorValuesAreChecked() throws {
        let config = TrainingConfig()
        let n = config.architecture.parameterCount
        func state(step: UInt64 = 3, m: Float = 0, v: Float = 0, parameter: Float = 0.1) throws -> String {
            let path = try temporaryDirectory(self) + "/state.safetensors"
            var p = [Float](repeating: 0.1, count: n), mm = [Float](repeating: 0, count: n), vv = [Float](repeating: 0, count: n)
            p[17] = parameter
            mm[5] = m
            vv[9] = v
            try Checkpoint.saveState(Checkpoint.State(config: config, completedEpochs: 1, parameters: p, adamStep: 1, adamM: mm, adamV: vv,
                                                      samplerState: 1, dropoutStates: [1, 2, 3, 4]), to: path)
            // adam.step as stored, beyond what the writer would put there.
            var file = try SafeTensors.read(path: path)
            file.set("adam.step", unsigned: [step])
            try file.write(to: path)
            return path
        }
        XCTAssertNoThrow(try Checkpoint.loadState(from: try state()))
        assertCheckpointError(try state(step: UInt64(Int64.max) + 1), mentioning: "adam.step")
        assertCheckpointError(try state(step: UInt64.max), mentioning: "adam.step")
        assertCheckpointError(try state(m: .nan), mentioning: "adam.m holds nan at index 5")
        assertCheckpointError(try state(v: .infinity), mentioning: "adam.v holds inf")
        assertCheckpointError(try state(v: -1), mentioning: "negative")
        assertCheckpointError(try state(parameter: -.infinity), mentioning: "parameters holds -inf at index 17")
    }

    /// The safetensors structure: offsets must tile the data exactly; shapes cannot overflow.
    func testStructureIsValidatedAsTheSpecificationRequires() throws {
        func file(_ header: String, data: Int) -> [UInt8] {
            var h = Array(header.utf8)
            while h.count % 8 != 0 { h.append(0x20) }
            var out = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 { out[i] = UInt8(truncatingIfNeeded: UInt64(h.count) >> (8 * UInt64(i))) }
            return out + h + [UInt8](repeating: 0, count: data)
        }
        let cases: [(String, Int, String)] = [
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, 12, "overlaps"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, 12, "a gap of 4 bytes"),
            (#"{"a":{"dtype":"F32","shape":[2147483648,2147483648],"data_offsets":[0,8]}}"#, 8, "overflows"),
            (#"{"a":{"dtype":"F32","shape":[9223372036854775807],"data_offsets":[0,8]}}"#, 8, "outside"),
            (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, 4, "not whole numbers"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551615]}}"#, 4, "not whole numbers"),
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "outside"),
        ]
        for (header, data, text) in cases {
            XCTAssertThrowsError(try SafeTensors.decode(file(header, data: data), path: "t.safetensors"), text) { error in
                XCTAssertTrue("\(error)".hasPrefix("t.safetensors: ") && "\(error)".contains(text), "\(error)")
            }
        }
        // A 98 MB header is refused from its length, before any parsing.
        var huge = [UInt8](repeating: 0x20, count: 98_000_008)
        let length = UInt64(huge.count - 8)
        for i in 0..<8 { huge[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(i))) }
        XCTAssertThrowsError(try SafeTensors.decode(huge, path: "h")) { XCTAssertTrue("\($0)".contains("accepted"), "\($0)") }
    }

    /// Mutated headers and configurations, numbers at the integer limits: every case is a
    /// clear error or a valid load, never a crash (a crash ends the test process).
    func testFuzzedCheckpointHeaders() throws {
        let base = try validConfigJSON()
        let limits = ["0", "-1", "1", "4096", "4097", "2147483647", "2147483648", "9223372036854775807", "-9223372036854775808",
                      "18446744073709551615", "1e308", "-1e308", "1.5", "null", "\"x\"", "[]", "{}", "NaN"]
        let keys = ["epochs", "batchSize", "trainSize", "validationSize", "threads", "seed", "logEvery", "dropout", "learningRate", "branchChannels"]
        var rng = SplitMix64(seed: 17)
        var errors = 0, loads = 0
        let dir = try temporaryDirectory(self)
        for i in 0..<600 {
            var text = base
            // Replace one key's value with a limit, or flip bytes of the JSON.
            if i % 3 != 2 {
                let key = keys[Int(rng.next() % UInt64(keys.count))], value = limits[Int(rng.next() % UInt64(limits.count))]
                if let range = text.range(of: "\"\(key)\":") {
                    let rest = text[range.upperBound...]
                    let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
                    let valueEnd = rest[rest.startIndex..<end].contains("[") ? (rest.firstIndex(of: "]").map { rest.index(after: $0) } ?? end) : end
                    text.replaceSubrange(range.upperBound..<valueEnd, with: value)
                } else {
                    text.insert(contentsOf: "\"\(key)\":\(value),", at: text.index(after: text.startIndex))
                }
            } else {
                var bytes = Array(text.utf8)
                for _ in 0..<(1 + rng.next() % 4) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next() % 128) }
                text = String(decoding: bytes, as: UTF8.self)
            }
            var file = SafeTensors()
            file.set("adam.step", unsigned: [rng.next() % 3 == 0 ? UInt64.max : 1])
            file.metadata = ["format": "statnet-state", "config": text, "completed_epochs": limits[Int(rng.next() % UInt64(limits.count))]]
            let path = "\(dir)/fuzz.safetensors"
            try file.write(to: path)
            do { _ = try Checkpoint.loadState(from: path); loads += 1 } catch let e as CheckpointError {
                XCTAssertEqual(e.path, path)
                switch e {
                case .badMetadata(_, let key, _): XCTAssertTrue(["config", "completed_epochs"].contains(key), "\(e)")
                case .missingTensor(_, let name): XCTAssertEqual(name, "parameters", "the first tensor read")
                default: XCTFail("a header or a missing tensor, not \(e)")
                }
                errors += 1
            }
        }
        XCTAssertEqual(errors + loads, 600)
        XCTAssertEqual(loads, 0, "these files lack the tensors, so none can load")
    }
}

/// `outputs.safetensors`: a finished run's logits of every validation and test image.
final class RunOutputsFileTests: XCTestCase {
    func testRoundTripAndChecks() throws {
        let dir = try temporaryDirectory(self)
        var rng = SplitMix64(seed: 3)
        let outputs = RunOutputs(classCount: 10, validationLogits: (0..<50).map { _ in rng.nextUnitFloat() }, validationLabels: [1, 2, 3, 4, 5],
                                 testLogits: (0..<30).map { _ in rng.nextUnitFloat() }, testLabels: [9, 0, 7])
        XCTAssertNil(try RunOutputsFile.read("\(dir)/none.safetensors"), "a run from before outputs were kept")
        try RunOutputsFile.write(outputs, to: "\(dir)/outputs.safetensors")
        XCTAssertEqual(try RunOutputsFile.read("\(dir)/outputs.safetensors"), outputs)
        var bad = SafeTensors()
        bad.set("validation.logits", floats: [Float](repeating: .nan, count: 10), shape: [1, 10])
        bad.set("validation.labels", bytes: [1])
        bad.set("test.logits", floats: [Float](repeating: 0, count: 10), shape: [1, 10])
        bad.set("test.labels", bytes: [12])
        try bad.write(to: "\(dir)/bad.safetensors")
        XCTAssertThrowsError(try RunOutputsFile.read("\(dir)/bad.safetensors")) {
            XCTAssertTrue("\($0)".contains("validation.logits holds nan"), "\($0)")
        }
    }
}
