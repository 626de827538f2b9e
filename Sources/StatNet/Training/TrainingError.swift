/// Why a training run stopped before its end.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    case nonFiniteLoss(epoch: Int, batch: Int, lastCheckpointEpoch: Int)
    /// Stopped on request (SIGINT, SIGTERM) between two batches; the checkpoint of
    /// `afterEpoch` is the last one (0: none yet).
    case interrupted(afterEpoch: Int)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, last):
            "the training loss became NaN or infinite at epoch \(epoch), batch \(batch); training stopped. "
                + (last > 0 ? "The checkpoint of epoch \(last) is kept." : "No checkpoint had been written yet.")
                + " Try a lower learning rate or a normalisation (--normalize channel)."
        case let .interrupted(epoch):
            "stopped on request" + (epoch > 0 ? " after the checkpoint of epoch \(epoch)" : " before the first checkpoint")
        }
    }
}
