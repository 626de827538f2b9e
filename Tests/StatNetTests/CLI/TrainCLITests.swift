import Foundation
import XCTest
import StatNet

final class TrainCLITests: XCTestCase {
    var data: String { TestPaths.mnistDirectory }

    func testTrainEvaluatePredictAndResume() throws {
        _ = try SharedMNIST.get()
        let out = try temporaryDirectory(self) + "/run"
        let args = ["train", "--data", data, "--model", "mlpnet", "--train-size", "320", "--epochs", "1", "--seed", "5", "--out", out]
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("test accuracy"), r.stdout)
        XCTAssertTrue(r.stderr.contains("epoch 1: train loss"), "one plain line per epoch when not on a terminal: \(r.stderr)")
        for file in ["config.json", "train_log.csv", "epochs.csv", "result.json", "model.safetensors", "state.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(file)"), file)
        }
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/result.json"))) as! [String: Any]
        for key in ["test_acc", "test_loss", "test_loss_paper_scaled", "train_seconds"] { XCTAssertNotNil(result[key], key) }
        let accuracy = try XCTUnwrap(result["test_acc"] as? Double)
        XCTAssertTrue((0...1).contains(accuracy), "a fraction")

        // The same folder again without --resume: refused, nothing overwritten.
        let again = try CLI.run(args)
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("already holds a run") && again.stderr.contains("--resume"), again.stderr)

        // --resume reads the run's own settings: a differing option is named alone; more
        // epochs extend the run. Evaluate agrees with result.json.
        let clash = try CLI.run(["train", "--data", data, "--out", out, "--resume", "--model", "statnet", "--epochs", "2"])
        XCTAssertEqual(clash.status, 1, clash.stderr)
        XCTAssertTrue(clash.stderr.contains("other settings (model: mlpnet here, statnet asked)"), clash.stderr)
        let resumed = try CLI.run(["train", "--data", data, "--out", out, "--resume", "--epochs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming after epoch 1"), resumed.stderr)
        let final = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/result.json"))) as! [String: Any]
        let evaluation = try CLI.run(["evaluate", "--data", data, "--checkpoint", out, "--json"])
        XCTAssertEqual(evaluation.status, 0, evaluation.stderr)
        let e = try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(e["accuracy"] as? Double, final["test_acc"] as? Double)
        XCTAssertEqual(e["count"] as? Int, 10000)

        // report on the run folder draws its curves into it and lists its two epochs.
        let curves = try CLI.run(["report", out])
        XCTAssertEqual(curves.status, 0, curves.stderr)
        XCTAssertTrue(curves.stdout.contains("MLPNet, physics preset (the boltzmann energy channel (the pixels), channel normalisation), 320 training images, seed 5"), curves.stdout)
        XCTAssertEqual(curves.stdout.split(separator: "\n").filter { $0.hasPrefix("    1 ") || $0.hasPrefix("    2 ") }.count, 2, curves.stdout)
        XCTAssertTrue(try String(contentsOfFile: "\(out)/curves.svg", encoding: .utf8).contains("2 of 2 epochs finished"))
        let elsewhere = try CLI.run(["report", out, "--out", "\(out)-report"])
        XCTAssertEqual(elsewhere.status, 64, elsewhere.stderr)
        XCTAssertTrue(elsewhere.stderr.contains("--out is for reproduction folders"), elsewhere.stderr)

        // predict on a test digit written as PGM.
        let mnist = try SharedMNIST.get()
        let pgm = try temporaryDirectory(self) + "/digit.pgm"
        _ = FileManager.default.createFile(atPath: pgm, contents: Data(PGMImage.encode(Array(mnist.test.pixels[0..<784]))))
        let p = try CLI.run(["predict", "--checkpoint", out, pgm, "--json"])
        XCTAssertEqual(p.status, 0, p.stderr)
        let prediction = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
        let probabilities = try XCTUnwrap(prediction["probabilities"] as? [Double])
        XCTAssertEqual(probabilities.count, 10)
        XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertEqual(prediction["digit"] as? Int, 7, "test[0] is a 7")
    }

    func testBadCheckpointAndOptions() throws {
        let dir = try temporaryDirectory(self)
        let missing = try CLI.run(["evaluate", "--checkpoint", dir])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("\(dir)/model.safetensors: no such file"), missing.stderr)
        _ = FileManager.default.createFile(atPath: "\(dir)/model.safetensors", contents: Data([1, 2, 3, 4, 5, 6, 7, 8, 9]))
        let corrupt = try CLI.run(["predict", "--checkpoint", dir, "x.pgm"])
        XCTAssertNotEqual(corrupt.status, 0)
        XCTAssertTrue(corrupt.stderr.contains("x.pgm: no such file"), "the image is checked first: \(corrupt.stderr)")
        let pgm = dir + "/d.pgm"
        _ = FileManager.default.createFile(atPath: pgm, contents: Data(PGMImage.encode((0..<784).map { $0 % 28 == 14 ? 255 : 0 })))
        let corrupt2 = try CLI.run(["predict", "--checkpoint", dir, pgm])
        XCTAssertTrue(corrupt2.stderr.contains("model.safetensors: not a valid safetensors file"), corrupt2.stderr)
        let badSize = try CLI.run(["train", "--data", data, "--train-size", "60000", "--out", dir + "/r"])
        XCTAssertNotEqual(badSize.status, 0)
        XCTAssertTrue(badSize.stderr.contains("train size 60000 must be between 1 and 55000"), badSize.stderr)
        let badEpochs = try CLI.run(["train", "--epochs", "0", "--out", dir + "/r"])
        XCTAssertNotEqual(badEpochs.status, 0)
        XCTAssertTrue(badEpochs.stderr.contains("--epochs must be at least 1"), badEpochs.stderr)
        for command in [["train", "--out", dir + "/r"], ["evaluate", "--checkpoint", dir], ["bench", "train"], ["bench", "features"], ["reproduce"]] {
            let r = try CLI.run(command + ["--threads", "0"])
            XCTAssertNotEqual(r.status, 0, command.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("--threads must be at least 1"), r.stderr)
        }
    }

    func testBenchTrainJSON() throws {
        _ = try SharedMNIST.get()
        let r = try CLI.run(["bench", "train", "--data", data, "--model", "mlpnet", "--steps", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        for key in ["model", "batch", "threads", "images_per_s", "features_ms", "forward_ms", "backward_ms", "optimiser_core_ms", "blas_core"] {
            XCTAssertNotNil(o[key], key)
        }
        XCTAssertEqual(o["model"] as? String, "mlpnet")
    }
}
