import Foundation
import StatNet

/// Turns the demo training's events into one line for the starting page: which model, which
/// epoch and batch, and about how long is left.
public final class DemoTrainingProgress: TrainingObserver {
    private let say: (String) -> Void
    private let models: String
    private var current = ""

    /// - Parameters:
    ///   - models: the models trained in turn, for "1 of 2".
    ///   - say: receives each new line.
    public init(models: [ModelKind], say: @escaping (String) -> Void) {
        self.models = models.map(\.rawValue).joined(separator: " and ")
        self.say = say
    }

    public func handle(_ event: TrainingEvent) throws {
        switch event {
        case .started(let config, let done, _):
            current = config.model.rawValue
            say("Training the demo models (\(models), once; reused next time): \(config.model.rawValue), epoch \(done + 1) of \(config.epochs) starting…")
        case .batchEnded(let p):
            guard p.batch % Self.everyBatches == 0 else { return }
            say("Training the demo models (\(models), once; reused next time): \(current), epoch \(p.epoch) of \(p.epochs), batch \(p.batch) of \(p.batchesPerEpoch), "
                + "about \(Int((p.secondsLeft / 60).rounded(.up))) min left for this model.")
        default:
            return
        }
    }

    /// Lines are made every this many batches (about every second).
    static let everyBatches = 20
}
