import Foundation

/// One run's curves, for `statnet report RUN_FOLDER`: the training loss and accuracy of
/// `train_log.csv` (every 20 batches) and the validation loss and accuracy of `epochs.csv`,
/// drawn as one SVG (the four panels of Figure 6, for a single run) and listed per epoch. It
/// reads a run finished or still going, from `statnet train` or a reproduction's runs/.
public struct RunCurves: Sendable {
    public let folder: String
    public let config: TrainingConfig
    public let trainLog: [TrainLogRow]
    public let epochs: [EpochSummary]

    /// The figure's name inside the run folder.
    public static let figure = RunFiles.curves

    /// Why a folder's curves cannot be drawn.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// No readable `config.json` of this tool's.
        case notARunFolder(String)
        /// No epoch finished yet and no training-log rows either.
        case nothingLogged(String)

        public var description: String {
            switch self {
            case .notARunFolder(let folder): "\(folder) is not a run folder (no config.json of statnet's)"
            case .nothingLogged(let folder): "\(folder) has no logged training yet (train_log.csv and epochs.csv are empty): nothing to draw"
            }
        }
    }

    /// Whether `folder` is a run folder (what `report` then draws) rather than a reproduction folder.
    public static func isRunFolder(_ folder: String) -> Bool { RunFolder.isRunFolder(folder) }

    /// Reads the run in `folder`.
    /// - Throws: `Problem` when it is not a run folder or holds nothing to draw.
    public init(folder: String) throws {
        guard let info = try? JSONFormat.read(RunInfo.self, at: Path.join(folder, RunFiles.config)) else {
            throw Problem.notARunFolder(folder)
        }
        self.folder = folder
        config = info.config
        trainLog = TrainLogRow.rows(inFile: RunFiles.trainLog, of: folder)
        epochs = EpochSummary.rows(inFile: RunFiles.epochs, of: folder)
        guard !trainLog.isEmpty || !epochs.isEmpty else { throw Problem.nothingLogged(folder) }
    }

    /// What the run is, in one line.
    public var title: String {
        "\(config.model == .statnet ? "StatNet" : "MLPNet"), \(config.preset.rawValue) preset (\(config.inputDescription)), "
            + "\(config.trainSize) training images, seed \(config.seed)"
    }

    /// The four panels: training loss (log scale) and accuracy against epochs (every logged
    /// batch), validation loss and accuracy per finished epoch.
    public func svg() -> String {
        let color = config.model == .statnet ? SVGChart.palette[1] : SVGChart.palette[0]
        let perEpoch = Double(config.batchesPerEpoch)
        let x = { (row: TrainLogRow) in Double(row.epoch - 1) + Double(row.batch) / perEpoch }
        let lastEpoch = max(Double(config.epochs), 1)
        func panel(_ title: String, _ yLabel: String, _ points: [(x: Double, y: Double)], markers: Bool, logY: Bool = false) -> SVGChart.Panel {
            var p = SVGChart.Panel(title: title, xLabel: "epoch", yLabel: yLabel,
                                   series: [.init(name: "this run", color: color, points: points, markers: markers)], logY: logY)
            p.showsLegend = false
            p.xRange = 0...lastEpoch
            return p
        }
        let panels = [
            panel("Training loss (running mean, log scale)", "loss", trainLog.map { (x: x($0), y: $0.trainLoss) }, markers: false, logY: true),
            panel("Training accuracy (running)", "accuracy", trainLog.map { (x: x($0), y: $0.trainAccuracy) }, markers: false),
            panel("Validation loss", "loss", epochs.map { (x: Double($0.epoch), y: $0.validationLoss) }, markers: true),
            panel("Validation accuracy", "accuracy", epochs.map { (x: Double($0.epoch), y: $0.validationAccuracy) }, markers: true),
        ]
        return SVGChart.render(title: "\(title); \(epochs.count) of \(config.epochs) epochs finished", panels: panels)
    }

    /// One line per finished epoch, for the terminal.
    public func table() -> [String] {
        ["epoch  train loss  train acc  val loss  val acc   seconds"]
            + epochs.map { e in
                String(format: "%5d  %10.4f  %8.2f%%  %8.4f  %6.2f%%  %8.1f", e.epoch, e.trainLoss, 100 * e.trainAccuracy,
                       e.validationLoss, 100 * e.validationAccuracy, e.seconds)
            }
    }
}
