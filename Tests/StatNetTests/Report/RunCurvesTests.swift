import Foundation
import XCTest
@testable import StatNet

/// One run's curves read from a run folder written here: what it draws, what it lists, and
/// the two folders it refuses.
final class RunCurvesTests: XCTestCase {
    func testCurvesOfARunFolder() throws {
        let folder = try temporaryDirectory(self)
        var config = TrainingConfig()
        config.model = .statnet
        config.preset = .paper
        config.features = Preset.paper.features
        config.normalisation = Preset.paper.normalisation
        config.trainSize = 1280
        config.epochs = 3
        config.seed = 7
        XCTAssertThrowsError(try RunCurves(folder: folder)) { XCTAssertEqual($0 as? RunCurves.Problem, .notARunFolder(folder)) }
        XCTAssertFalse(RunCurves.isRunFolder(folder))

        try AtomicFile.writeJSON(RunInfo(config: config), to: Path.join(folder, RunFiles.config))
        XCTAssertTrue(RunCurves.isRunFolder(folder))
        XCTAssertThrowsError(try RunCurves(folder: folder)) { XCTAssertEqual($0 as? RunCurves.Problem, .nothingLogged(folder)) }

        // Two epochs of a three-epoch run (20 batches each: 1280 / 64), logged every 10 batches.
        let log = [TrainLogRow(epoch: 1, batch: 10, seen: 640, trainLoss: 1.5, trainAccuracy: 0.5),
                   TrainLogRow(epoch: 1, batch: 20, seen: 1280, trainLoss: 0.9, trainAccuracy: 0.7),
                   TrainLogRow(epoch: 2, batch: 10, seen: 1920, trainLoss: 0.6, trainAccuracy: 0.8)]
        let epochs = [EpochSummary(epoch: 1, trainLoss: 0.9, trainAccuracy: 0.7, validationLoss: 0.8, validationAccuracy: 0.75, seconds: 1.5),
                      EpochSummary(epoch: 2, trainLoss: 0.6, trainAccuracy: 0.8, validationLoss: 0.5, validationAccuracy: 0.85, seconds: 1.25)]
        try AtomicFile.write(([TrainLogRow.header] + log.map(\.line)).joined(separator: "\n") + "\n", to: Path.join(folder, RunFiles.trainLog))
        try AtomicFile.write(([EpochSummary.header] + epochs.map(\.line)).joined(separator: "\n") + "\n", to: Path.join(folder, RunFiles.epochs))

        let curves = try RunCurves(folder: folder)
        XCTAssertEqual(curves.trainLog, log)
        XCTAssertEqual(curves.epochs, epochs)
        XCTAssertEqual(curves.config.batchesPerEpoch, 20)
        XCTAssertEqual(curves.title, "StatNet, paper preset (reference features, no normalisation), 1280 training images, seed 7")
        XCTAssertEqual(curves.table(), ["epoch  train loss  train acc  val loss  val acc   seconds",
                                        "    1      0.9000     70.00%    0.8000   75.00%       1.5",
                                        "    2      0.6000     80.00%    0.5000   85.00%       1.2"])
        let svg = curves.svg()
        for title in ["Training loss (running mean, log scale)", "Training accuracy (running)", "Validation loss", "Validation accuracy",
                      "2 of 3 epochs finished"] {
            XCTAssertTrue(svg.contains(title), title)
        }
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 4, "a marker per finished epoch in each validation panel")
    }
}
