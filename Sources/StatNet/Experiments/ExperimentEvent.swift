/// What the experiment runner reports; a progress printer or a server acts on these.
public enum ExperimentEvent: Sendable {
    /// The runs of this shard (of `planned` in the whole plan) are about to start.
    case started(runs: Int, planned: Int, shard: Shard, directory: String)
    /// Run `index` (1-based) of `count` was already finished and is skipped.
    case skipped(index: Int, count: Int, spec: RunSpec)
    /// Run `index` starts (or resumes); `progress` estimates the plan's remaining time.
    case runStarted(index: Int, count: Int, spec: RunSpec, progress: PlanProgress)
    case runFinished(index: Int, count: Int, spec: RunSpec, result: TrainingResult)
    case runFailed(index: Int, count: Int, spec: RunSpec, error: String)
    /// A run folder's damaged `spec.json` (at `file`) was written again from the plan.
    case repaired(spec: RunSpec, file: String)
    case finished(ExperimentSummary)
}

/// Receives the experiment runner's events.
public protocol ExperimentObserver: AnyObject {
    func handle(_ event: ExperimentEvent)
}

/// How far a shard's runs are, in training images (the measure of work: a 55,000-image run
/// is 550 times a 100-image one), and the time left at the speed measured so far.
public struct PlanProgress: Sendable, Equatable {
    public let imagesDone: Int
    public let imagesTotal: Int
    public let elapsedSeconds: Double
    /// nil until a run has been trained in this process.
    public let secondsLeft: Double?
}

/// What a runner call did.
public struct ExperimentSummary: Sendable, Equatable {
    public var trained: [String] = []
    public var skipped: [String] = []
    /// Run id and the error, in words.
    public var failed: [(id: String, error: String)] = []
    /// Set when a stop was requested (the signal), the runs after it untouched.
    public var stoppedBy: Int32?
    public var seconds = 0.0

    public static func == (a: ExperimentSummary, b: ExperimentSummary) -> Bool {
        a.trained == b.trained && a.skipped == b.skipped && a.failed.map(\.id) == b.failed.map(\.id)
            && a.failed.map(\.error) == b.failed.map(\.error) && a.stoppedBy == b.stoppedBy
    }
}
