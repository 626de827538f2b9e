import Foundation
import XCTest
import StatNet

/// Training on real MNIST, kept small: determinism, resume, checkpoints, errors.
final class TrainerTests: XCTestCase {
    func smallConfig(_ model: ModelKind = .statnet, epochs: Int = 2) -> TrainingConfig {
        var c = TrainingConfig(model: model, preset: .physics)
        c.trainSize = 640
        c.validationSize = 500
        c.epochs = epochs
        c.seed = 3
        return c
    }

    func train(_ config: TrainingConfig, in dir: String?, resume: Bool = false) throws -> (Trainer, TrainingResult) {
        guard let dir else {
            let trainer = try Trainer(config: config, data: try SharedMNIST.get())
            return (trainer, try trainer.run())
        }
        let state = resume ? try Checkpoint.loadState(from: "\(dir)/\(Checkpoint.stateFile)") : nil
        let trainer = try Trainer(config: config, data: try SharedMNIST.get(),
                                  observers: [try MetricsLog(directory: dir, completedEpochs: state?.completedEpochs ?? 0)],
                                  checkpointDirectory: dir)
        if let state { try trainer.restore(state, file: dir) }
        return (trainer, try trainer.run())
    }

    func testSameSeedSameNumbersAndLearning() throws {
        let (a, ra) = try train(smallConfig(), in: nil)
        let (b, rb) = try train(smallConfig(), in: nil)
        XCTAssertEqual(a.step.parameters, b.step.parameters, "bit-identical")
        XCTAssertEqual(ra.testLoss, rb.testLoss)
        XCTAssertGreaterThan(ra.testAccuracy, 0.75, "640 images, 2 epochs already learn")
        var other = smallConfig()
        other.seed = 4
        let (c, _) = try train(other, in: nil)
        XCTAssertNotEqual(a.step.parameters, c.step.parameters)
    }

    /// A run stopped after one epoch and resumed ends with the same weights, state and logs
    /// as an uninterrupted run (the seconds column aside).
    func testResumeMatchesUninterruptedRun() throws {
        let whole = try temporaryDirectory(self), parts = try temporaryDirectory(self)
        _ = try train(smallConfig(epochs: 3), in: whole)
        _ = try train(smallConfig(epochs: 1), in: parts)
        // A run killed during epoch 2 leaves log rows of an unfinished epoch: resume drops them.
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(parts)/train_log.csv"))
        try log.seekToEnd()
        try log.write(contentsOf: Data("2,20,999,9.9,0.1\n".utf8))
        try log.close()
        _ = try train(smallConfig(epochs: 3), in: parts, resume: true)
        for file in [Checkpoint.modelFile, Checkpoint.stateFile, "train_log.csv"] {
            XCTAssertEqual(FileManager.default.contents(atPath: "\(whole)/\(file)"), FileManager.default.contents(atPath: "\(parts)/\(file)"), file)
        }
        func withoutSeconds(_ dir: String) throws -> [String] {
            try String(contentsOfFile: "\(dir)/epochs.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        }
        XCTAssertEqual(try withoutSeconds(whole), try withoutSeconds(parts))
        XCTAssertEqual(try withoutSeconds(whole).count, 4)
        let a = try JSONDecoder().decode(TrainingResult.self, from: Data(contentsOf: URL(fileURLWithPath: "\(whole)/result.json")))
        let b = try JSONDecoder().decode(TrainingResult.self, from: Data(contentsOf: URL(fileURLWithPath: "\(parts)/result.json")))
        XCTAssertEqual(a.testAccuracy, b.testAccuracy)
        XCTAssertEqual(a.testLoss, b.testLoss)
    }

    /// The model file holds PyTorch names and shapes and reloads to the same parameters.
    func testModelCheckpointRoundTrip() throws {
        let dir = try temporaryDirectory(self)
        let (trainer, _) = try train(smallConfig(.mlpnet, epochs: 1), in: dir)
        let model = try Checkpoint.loadModel(from: "\(dir)/\(Checkpoint.modelFile)")
        XCTAssertEqual(model.parameters, trainer.step.parameters)
        XCTAssertEqual(model.config, trainer.config)
        XCTAssertEqual(model.normaliser, trainer.pipeline.normaliser)
        let file = try SafeTensors.read(path: "\(dir)/\(Checkpoint.modelFile)")
        XCTAssertEqual(file.tensors["branches.0.weight"]?.shape, [1024, 784])
        XCTAssertEqual(file.tensors["neck.weight"]?.shape, [10, 4096])
        XCTAssertEqual(file.tensors["normaliser.mean"]?.shape, [4, 784])
    }

    func testMismatchedOrCorruptCheckpointIsAClearError() throws {
        let dir = try temporaryDirectory(self)
        _ = try train(smallConfig(epochs: 1), in: dir)
        var other = smallConfig(.mlpnet, epochs: 2)
        other.seed = 3
        let trainer = try Trainer(config: other, data: try SharedMNIST.get())
        XCTAssertThrowsError(try trainer.restore(try Checkpoint.loadState(from: "\(dir)/\(Checkpoint.stateFile)"), file: "\(dir)/state.safetensors")) {
            XCTAssertTrue("\($0)".contains("other settings"), "\($0)")
        }
        let state = "\(dir)/\(Checkpoint.stateFile)"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: state))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: state))
        XCTAssertThrowsError(try Checkpoint.loadState(from: state)) { XCTAssertTrue("\($0)".hasPrefix(state), "\($0)") }
    }

    /// A loss that blows up stops training with a clear error; the last checkpoint stays.
    func testNonFiniteLossStopsAndKeepsCheckpoint() throws {
        let dir = try temporaryDirectory(self)
        var config = smallConfig(epochs: 3)
        config.preset = .paper
        config.features = .reference
        config.normalisation = .none
        final class StopAfterEpoch1: TrainingObserver {
            weak var trainer: Trainer?
            func handle(_ event: TrainingEvent) throws {
                if case .epochEnded(let e) = event, e.epoch == 1 { trainer?.step.setLearningRate(1e30) }
            }
        }
        let hook = StopAfterEpoch1()
        let trainer = try Trainer(config: config, data: try SharedMNIST.get(), observers: [hook], checkpointDirectory: dir)
        hook.trainer = trainer
        XCTAssertThrowsError(try trainer.run()) { error in
            guard case TrainingError.nonFiniteLoss(let epoch, _, let kept) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(epoch, 2)
            XCTAssertEqual(kept, 1)
            XCTAssertTrue("\(error)".contains("checkpoint of epoch 1 is kept"))
        }
        XCTAssertEqual(try Checkpoint.loadState(from: "\(dir)/\(Checkpoint.stateFile)").completedEpochs, 1)
    }

    func testSplitAndSampler() throws {
        let a = try DatasetSplit(poolSize: 60000, trainSize: 100, seed: 1)
        let b = try DatasetSplit(poolSize: 60000, seed: 1)
        XCTAssertEqual(a.validation, b.validation, "validation does not depend on the train size")
        XCTAssertEqual(Array(b.train.prefix(100)), a.train)
        XCTAssertTrue(Set(b.train).isDisjoint(with: b.validation))
        XCTAssertEqual(b.train.count, 55000)
        XCTAssertThrowsError(try DatasetSplit(poolSize: 60000, trainSize: 55001, seed: 1)) { XCTAssertTrue("\($0)".contains("between 1 and 55000")) }
        var sampler = BatchSampler(indices: Array(0..<130), batchSize: 64, seed: 2)
        let e1 = sampler.epochOrder(), e2 = sampler.epochOrder()
        XCTAssertNotEqual(e1, e2, "reshuffled every epoch")
        XCTAssertEqual(e1.sorted(), Array(0..<130))
        XCTAssertEqual(sampler.batchesPerEpoch, 3)
        XCTAssertEqual(sampler.batch(2, of: e1).count, 2, "the last smaller batch is kept")
    }
}
