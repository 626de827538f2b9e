import Foundation
import XCTest
@testable import StatNet

/// A newcomer's path and a PyTorch user's habits (issue 12), through the built tool.
final class NewcomerCLITests: XCTestCase {
    var data: String { TestPaths.mnistDirectory }

    /// The live line fits the terminal at 60, 80 and 200 columns, dropping fields as needed.
    func testProgressLineFitsTheWidth() {
        var line = ProgressLine()
        line.run = (index: 12, count: 280, id: "ablation-statnet-entropy+meanEnergy-s4")
        (line.epoch, line.epochs, line.batch, line.batchesPerEpoch) = (7, 20, 431, 860)
        (line.loss, line.accuracy, line.imagesPerSecond, line.runSecondsLeft) = (0.12345, 0.97, 8123, 95)
        line.plan = (elapsedSeconds: 4000, secondsLeft: 9000)
        for width in [60, 80, 200] {
            let text = line.render(width: width)
            XCTAssertLessThan(text.count, width, "\(width): \(text)")
            XCTAssertTrue(text.hasPrefix("[12/280] ep 7/20 |"), text)
            XCTAssertTrue(text.contains("%"), text)
            XCTAssertTrue(text.contains("run left 1m35s"), "the ETA says what it is for: \(text)")
        }
        XCTAssertTrue(line.render(width: 200).contains("plan 12/280 1h06m in, left 2h30m"), line.render(width: 200))
        XCTAssertTrue(line.render(width: 200).contains("ablation-statnet-entropy+meanEnergy-s4"))
        XCTAssertFalse(line.render(width: 60).contains("loss"), "the least useful fields go first")
        XCTAssertEqual(line.fraction, (6.0 * 860 + 431) / (20 * 860), accuracy: 1e-12)
    }

    /// `reproduce` on a (fake) terminal of 60, 80 and 200 columns: every redrawn line fits.
    func testReproduceProgressOnATerminal() throws {
        _ = try SharedMNIST.get()
        for width in [60, 80, 200] {
            let out = try temporaryDirectory(self) + "/repro"
            let r = try CLI.run(["reproduce", "--data", data, "--quick", "--preset", "physics", "--sizes", "100", "--epochs", "1", "--threads", "1", "--out", out],
                                environment: ["STATNET_PROGRESS": "tty", "COLUMNS": String(width)])
            XCTAssertEqual(r.status, 0, r.stderr)
            let redrawn = r.stderr.components(separatedBy: "\r\u{1B}[K").dropFirst().map { $0.components(separatedBy: "\n")[0] }.filter { $0.hasPrefix("[") && $0.contains("|") }
            XCTAssertGreaterThan(redrawn.count, 4, r.stderr)
            for text in redrawn { XCTAssertLessThan(text.count, width, "\(width): \(text)") }
            XCTAssertTrue(r.stderr.contains("[2/4 physics-mlpnet-n5000-s0] plan: "), "the plan's time at each run: \(r.stderr)")
        }
    }

    func testVersionAndMistypedCommands() throws {
        let version = try CLI.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines), RunInfo.version)
        let typo = try CLI.run(["trian", "--epochs", "2"])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("unknown command 'trian'; did you mean 'train'?"), typo.stderr)
        let help = try CLI.run(["help", "trian"])
        XCTAssertNotEqual(help.status, 0)
        XCTAssertTrue(help.stderr.contains("did you mean 'train'?"), help.stderr)
        let reproduceHelp = try CLI.run(["help", "reproduce"])
        XCTAssertTrue(reproduceHelp.stdout.contains("default: 20, or 2 with --quick"), reproduceHelp.stdout)
        XCTAssertTrue(reproduceHelp.stdout.contains("default: 30000,10000,5000,1000,500,100"), reproduceHelp.stdout)
        XCTAssertTrue(try CLI.run(["help", "bench", "train"]).stdout.contains("Cores the timed work runs on"))
    }

    /// `data import`, a file:// mirror, and what a failed download says to do next.
    func testDataSetUpWithoutANetwork() throws {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let imported = try CLI.run(["data", "import", data, "--data", "\(base)/imported"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(try CLI.run(["data", "verify", "--data", "\(base)/imported"]).status, 0)
        let mirrored = try CLI.run(["data", "download", "--data", "\(base)/mirrored", "--mirror", "file://\(data)/"])
        XCTAssertEqual(mirrored.status, 0, mirrored.stderr)
        XCTAssertNoThrow(try MNIST.load(directory: "\(base)/mirrored"))
        let nowhere = "http://127.0.0.1:9/"
        let failed = try CLI.run(["data", "download", "--data", "\(base)/none", "--mirror", nowhere, "--timeout", "5"])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertEqual(failed.stderr.components(separatedBy: nowhere).count - 1, 1, "each attempt is printed once: \(failed.stderr)")
        XCTAssertTrue(failed.stderr.contains("statnet data import DIR"), failed.stderr)
        // A bad folder to import from: nothing half-written.
        let bad = try CLI.run(["data", "import", base, "--data", "\(base)/target"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("missing"), bad.stderr)
    }

    /// Words, one result line, JSON files with a final newline, the training options, and
    /// hints for a checkpoint given as a file or as a reproduction folder.
    func testTrainOptionsWordsAndCheckpointHints() throws {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let r = try CLI.run(["train", "--data", data, "--model", "mlpnet", "--preset", "paper", "--train-size", "200", "--epochs", "1",
                             "--lr", "0.0005", "--batch-size", "32", "--dropout", "0.25", "--threads", "1", "--out", "\(base)/run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("x 1 epoch, ") && r.stderr.contains("no normalisation") && r.stderr.contains("1 thread\n"), r.stderr)
        XCTAssertFalse(r.stderr.contains("test accuracy"), "the result is printed once, on stdout")
        XCTAssertEqual(r.stdout.components(separatedBy: "test accuracy").count - 1, 1, r.stdout)
        for file in ["config.json", "result.json"] {
            XCTAssertTrue(try String(contentsOfFile: "\(base)/run/\(file)", encoding: .utf8).hasSuffix("}\n"), file)
        }
        let config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(base)/run/config.json"))) as? [String: Any])
        let c = try XCTUnwrap(config["config"] as? [String: Any])
        XCTAssertEqual(c["learningRate"] as? Double, 0.0005)
        XCTAssertEqual(c["batchSize"] as? Int, 32)
        XCTAssertEqual(c["dropout"] as? Double, 0.25)
        for bad in [["--lr", "0"], ["--batch-size", "0"], ["--dropout", "1"]] {
            let e = try CLI.run(["train", "--out", "\(base)/x"] + bad)
            XCTAssertEqual(e.status, 64, bad.joined(separator: " "))
            XCTAssertTrue(e.stderr.contains(bad[0]), e.stderr)
        }
        let byFile = try CLI.run(["evaluate", "--data", data, "--checkpoint", "\(base)/run/model.safetensors", "--count", "100"])
        XCTAssertEqual(byFile.status, 0, byFile.stderr)
        // A reproduction folder where a run was expected: its runs are listed.
        let repro = "\(base)/repro"
        try FileManager.default.createDirectory(atPath: "\(repro)/runs", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(base)/run", toPath: "\(repro)/runs/paper-mlpnet-n200-s0")
        let folder = try CLI.run(["evaluate", "--data", data, "--checkpoint", repro])
        XCTAssertEqual(folder.status, 1)
        XCTAssertTrue(folder.stderr.contains("is a reproduction folder") && folder.stderr.contains("\(repro)/runs/paper-mlpnet-n200-s0"), folder.stderr)
    }

    /// Per-class accuracy, the confusion matrix and the most confident mistakes.
    func testEvaluateConfusionAndMistakes() throws {
        _ = try SharedMNIST.get()
        let run = try temporaryDirectory(self) + "/run"
        XCTAssertEqual(try CLI.run(["train", "--data", data, "--train-size", "500", "--epochs", "1", "--threads", "1", "--out", run]).status, 0)
        let r = try CLI.run(["evaluate", "--data", data, "--checkpoint", run, "--misclassified", "5", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let confusion = try XCTUnwrap(o["confusion"] as? [[Int]])
        XCTAssertEqual(confusion.count, 10)
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), 10_000)
        let diagonal = (0..<10).reduce(0) { $0 + confusion[$1][$1] }
        XCTAssertEqual(Double(diagonal) / 10_000, try XCTUnwrap(o["accuracy"] as? Double), accuracy: 1e-12, "the same accuracy as the loss pass")
        let perClass = try XCTUnwrap(o["per_class_accuracy"] as? [Double])
        for d in 0..<10 { XCTAssertEqual(perClass[d], Double(confusion[d][d]) / Double(confusion[d].reduce(0, +)), accuracy: 1e-12) }
        let mistakes = try XCTUnwrap(o["misclassified"] as? [[String: Any]])
        XCTAssertEqual(mistakes.count, 5)
        let probabilities = mistakes.compactMap { $0["probability"] as? Double }
        XCTAssertEqual(probabilities, probabilities.sorted(by: >), "most confident first")
        let mnist = try SharedMNIST.get()
        for m in mistakes {
            let index = try XCTUnwrap(m["index"] as? Int)
            XCTAssertEqual(m["label"] as? Int, Int(mnist.test.labels[index]))
            XCTAssertNotEqual(m["label"] as? Int, m["prediction"] as? Int)
        }
        let text = try CLI.run(["evaluate", "--data", data, "--checkpoint", run, "--misclassified", "3"])
        XCTAssertTrue(text.stdout.contains("confusion (rows: true digit") && text.stdout.contains("the 3 most confident mistakes"), text.stdout)
    }

    /// `features export` in both formats: the NumPy snippet of the README reads the .npy files,
    /// and a few images equal `statnet features --format json`.
    func testFeaturesExportForNumPyAndSafetensors() throws {
        _ = try SharedMNIST.get()
        let base = try temporaryDirectory(self)
        let npy = try CLI.run(["features", "export", "--data", data, "--variant", "reference", "--split", "test", "--format", "npy", "--out", "\(base)/npy"])
        XCTAssertEqual(npy.status, 0, npy.stderr)
        let st = try CLI.run(["features", "export", "--data", data, "--variant", "reference", "--split", "test", "--format", "safetensors", "--out", "\(base)/test.safetensors"])
        XCTAssertEqual(st.status, 0, st.stderr)
        let file = try SafeTensors.read(path: "\(base)/test.safetensors")
        XCTAssertEqual(file.tensors["features"]?.shape, [10_000, 4, 28, 28])
        XCTAssertEqual(file.tensors["labels"]?.bytes.prefix(3), [7, 2, 1])
        let features = try file.floats("features", shape: [10_000, 4, 28, 28], file: "t")
        for index in [0, 1, 4321] {
            let r = try CLI.run(["features", "--data", data, "--variant", "reference", "--index", String(index), "--format", "json"])
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            for (c, name) in ["energy", "level", "entropy", "meanEnergy"].enumerated() {
                let expected = try XCTUnwrap(o[name] as? [Double]).map(Float.init)
                XCTAssertEqual(Array(features[(index * 4 + c) * 784..<(index * 4 + c + 1) * 784]), expected, "\(index) \(name)")
            }
        }
        // The README's NumPy snippet, and the same images through NumPy.
        guard Python.has("numpy") else { throw XCTSkip("numpy is not installed for python3 (.ci/run installs it)") }
        let snippet = TestPaths.packageRoot.appendingPathComponent("docs/python/read_features.py").path
        let shown = try Python.run([snippet, "\(base)/npy"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("(10000, 4, 28, 28) float32 (10000,) uint8"), shown.stdout)
        let same = try Python.run(["-c", "import numpy as np, safetensors.numpy as s; " +
                                   "a = np.load('\(base)/npy/features.npy'); b = s.load_file('\(base)/test.safetensors')['features']; " +
                                   "print(bool((a == b).all()))"])
        if same.status == 0 { XCTAssertEqual(same.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "True") }
    }

    /// A train that fails before training (settings that cannot work, data that is not there)
    /// leaves no folder behind, so the next, corrected command is not refused.
    func testFailedStartsLeaveNothing() throws {
        let base = try temporaryDirectory(self)
        let badSize = try CLI.run(["train", "--data", data, "--train-size", "60000", "--out", "\(base)/a"])
        XCTAssertEqual(badSize.status, 1, badSize.stderr)
        XCTAssertTrue(badSize.stderr.contains("train size 60000 must be between 1 and 55000"), badSize.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(base)/a"), "nothing written")
        let badData = try CLI.run(["train", "--data", "\(base)/nowhere", "--train-size", "100", "--epochs", "1", "--out", "\(base)/b"])
        XCTAssertEqual(badData.status, 1, badData.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(base)/b"), "not even a lock file")
        _ = try SharedMNIST.get()
        let fixed = try CLI.run(["train", "--data", data, "--train-size", "100", "--epochs", "1", "--threads", "1", "--out", "\(base)/a"])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
    }

    /// The PyTorch module in docs/python loads model.safetensors with its normaliser and gives
    /// what `statnet evaluate` gives on 1,000 test images (skipped where torch is missing).
    func testPyTorchLoaderMatchesEvaluate() throws {
        _ = try SharedMNIST.get()
        guard Python.has("torch"), Python.has("safetensors") else {
            throw XCTSkip("torch and safetensors are not installed for python3 (.ci/run installs them when the package index has them)")
        }
        let base = try temporaryDirectory(self)
        XCTAssertEqual(try CLI.run(["train", "--data", data, "--model", "statnet", "--train-size", "1000", "--epochs", "1", "--threads", "1", "--out", "\(base)/run"]).status, 0)
        XCTAssertEqual(try CLI.run(["features", "export", "--data", data, "--variant", "boltzmann", "--split", "test", "--format", "safetensors", "--out", "\(base)/test.safetensors"]).status, 0)
        let ours = try CLI.run(["evaluate", "--data", data, "--checkpoint", "\(base)/run", "--count", "1000", "--json"])
        let theirs = try Python.run([TestPaths.packageRoot.appendingPathComponent("docs/python/statnet_torch.py").path,
                                     "\(base)/run/model.safetensors", "\(base)/test.safetensors", "--count", "1000"])
        XCTAssertEqual(theirs.status, 0, theirs.stderr)
        let a = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any])
        let b = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(theirs.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(a["accuracy"] as? Double ?? -1, b["accuracy"] as? Double ?? -2, accuracy: 1e-9)
        XCTAssertEqual(a["loss"] as? Double ?? -1, b["loss"] as? Double ?? -2, accuracy: 1e-4)
        // Features of another variant are refused, not evaluated into a plausible wrong number.
        XCTAssertEqual(try CLI.run(["features", "export", "--data", data, "--variant", "reference", "--split", "test", "--format", "safetensors", "--out", "\(base)/reference.safetensors"]).status, 0)
        let other = try Python.run([TestPaths.packageRoot.appendingPathComponent("docs/python/statnet_torch.py").path,
                                    "\(base)/run/model.safetensors", "\(base)/reference.safetensors", "--count", "1000"])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("features of the 'reference' variant, but") && other.stderr.contains("--variant boltzmann"), other.stderr)
    }
}

/// `python3` for the tests that check the Python side.
enum Python {
    static func run(_ arguments: [String]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errReader = PipeReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errReader.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func has(_ module: String) -> Bool { (try? run(["-c", "import \(module)"]))?.status == 0 }
}
