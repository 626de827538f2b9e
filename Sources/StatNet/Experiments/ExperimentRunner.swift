import Foundation

/// Runs a plan's runs into a reproduction folder: `OUT/plan.json`, and one run folder per run
/// under `OUT/runs/<id>/` with its `spec.json`. Finished runs are skipped and half-finished
/// ones resume from their last checkpoint, so calling it again continues a stopped
/// reproduction. With a shard it runs only that part, so several processes (a job array) can
/// share one folder: each run folder is locked while it trains.
///
/// Before training anything it checks that the folder is this plan's: a plan with other
/// settings, or runs of the same id with other settings, are refused.
public final class ExperimentRunner {
    public let plan: ExperimentPlan
    public let directory: String
    public let shard: Shard
    public let observers: [ExperimentObserver]
    /// Training observers for each run (a progress line, for example): given the run, its
    /// index (1-based) and the number of runs in this shard.
    public var trainingObservers: (RunSpec, Int, Int) -> [TrainingObserver] = { _, _, _ in [] }
    /// Asked before each run and between batches; true stops at the next safe point.
    public var shouldStop: () -> Bool = { StopRequest.isRequested }

    public static let runsFolder = RunFiles.reproductionRuns

    public init(plan: ExperimentPlan, directory: String, shard: Shard = .whole, observers: [ExperimentObserver] = []) {
        self.plan = plan
        self.directory = directory
        self.shard = shard
        self.observers = observers
    }

    public func runDirectory(_ spec: RunSpec) -> String {
        Path.join(Path.join(directory, ReproductionFiles.runs), spec.id)
    }

    private func emit(_ event: ExperimentEvent) {
        for observer in observers { observer.handle(event) }
    }

    /// Refuses a folder that holds something else: another plan's settings, runs of the same
    /// id with other settings, or files that are not a reproduction's.
    public func checkFolder() throws {
        try ReproductionFiles.requireOurs(directory)
        if let existing = try? JSONFormat.read(PlanInfo.self, at: Path.join(directory, ReproductionFiles.plan)),
           let difference = existing.settingsDifference(from: plan.info) {
            throw ReproductionError.otherPlan(folder: directory, difference: difference)
        }
        var mismatched: [String] = []
        for spec in plan.runs {
            guard let existing = try? JSONFormat.read(RunSpec.self, at: Path.join(runDirectory(spec), RunFiles.spec)) else { continue }
            if existing.config.identity != spec.config.identity || existing.config.epochs != spec.config.epochs { mismatched.append(spec.id) }
        }
        if !mismatched.isEmpty { throw ReproductionError.otherRunSettings(folder: directory, ids: mismatched) }
    }

    /// Checks the folder and writes `plan.json` (this plan joined with the folder's, see
    /// `PlanInfo.union`) while holding the folder's plan lock, so that two processes with
    /// different plans cannot both pass the check before either has written: the second sees
    /// the first's plan. Held for milliseconds; a second process waits for it.
    func writePlan() throws {
        let planLock = try FolderLock(folder: directory, name: ReproductionFiles.planLock, waiting: true)
        defer { withExtendedLifetime(planLock) {} }
        try checkFolder()
        let path = Path.join(directory, ReproductionFiles.plan)
        let existing = try? JSONFormat.read(PlanInfo.self, at: path)
        try AtomicFile.writeJSON(existing.map { $0.union(plan.info) } ?? plan.info, to: path)
        for spec in plan.runs(of: shard) { try repairSpec(spec) }
    }

    /// Writes `spec.json` of a run whose folder exists but whose spec is missing or cannot be
    /// read (a file cut short by a crash): the plan knows what it must hold. A spec that reads
    /// but differs was refused by `checkFolder`.
    func repairSpec(_ spec: RunSpec) throws {
        let folder = runDirectory(spec), path = Path.join(folder, RunFiles.spec)
        guard FileManager.default.fileExists(atPath: folder) else { return }
        if (try? JSONFormat.read(RunSpec.self, at: path)) != nil { return }
        emit(.repaired(spec: spec, file: path))
        try AtomicFile.writeJSON(spec, to: path)
    }

    /// Trains this shard's runs that are not finished. `data` is loaded once, when the first
    /// run needs training. A run that fails is reported and the others go on.
    @discardableResult
    public func run(data: () throws -> MNIST) throws -> ExperimentSummary {
        try checkFolder()   // before the lock file: never write into someone else's folder
        // One process per shard: a second `reproduce` of the same shard fails at once, while
        // the shards of a job array share the folder (each run folder has its own lock too).
        let lock = try FolderLock(folder: directory, name: ".statnet-shard-\(shard.index)-of-\(shard.count).lock")
        defer { withExtendedLifetime(lock) {} }
        try writePlan()
        let mine = plan.runs(of: shard)
        emit(.started(runs: mine.count, planned: plan.runs.count, shard: shard, directory: directory))
        let start = MonotonicClock.now
        var summary = ExperimentSummary()
        var mnist: MNIST?
        func loadData() throws -> MNIST {
            if let mnist { return mnist }
            let loaded = try data()
            mnist = loaded
            return loaded
        }
        let imagesTotal = mine.reduce(0) { $0 + $1.config.trainSize * $1.config.epochs }
        var imagesDone = 0, imagesTrained = 0, trainedSeconds = 0.0
        for (i, spec) in mine.enumerated() {
            let index = i + 1, dir = runDirectory(spec), images = spec.config.trainSize * spec.config.epochs
            if shouldStop() {
                summary.stoppedBy = StopRequest.signal ?? 0
                break
            }
            if RunFolder.finishedResult(in: dir, config: spec.config) != nil {
                summary.skipped.append(spec.id)
                imagesDone += images
                emit(.skipped(index: index, count: mine.count, spec: spec))
                continue
            }
            let speed = imagesTrained > 0 ? Double(imagesTrained) / trainedSeconds : nil
            emit(.runStarted(index: index, count: mine.count, spec: spec,
                             progress: PlanProgress(imagesDone: imagesDone, imagesTotal: imagesTotal,
                                                    elapsedSeconds: MonotonicClock.seconds(since: start),
                                                    secondsLeft: speed.map { Double(imagesTotal - imagesDone) / $0 })))
            let runStart = MonotonicClock.now
            do {
                try AtomicFile.createDirectory(dir)
                try AtomicFile.writeJSON(spec, to: Path.join(dir, RunFiles.spec))
                let result = try RunFolder.train(config: spec.config, out: dir, mode: .resume,
                                                 data: loadData,
                                                 observers: trainingObservers(spec, index, mine.count), shouldStop: shouldStop)
                summary.trained.append(spec.id)
                imagesTrained += images
                trainedSeconds += MonotonicClock.seconds(since: runStart)
                emit(.runFinished(index: index, count: mine.count, spec: spec, result: result))
            } catch TrainingError.interrupted {
                summary.stoppedBy = StopRequest.signal ?? 0
                break
            } catch {
                summary.failed.append((spec.id, "\(error)"))
                emit(.runFailed(index: index, count: mine.count, spec: spec, error: "\(error)"))
            }
            imagesDone += images
        }
        summary.seconds = MonotonicClock.seconds(since: start)
        emit(.finished(summary))
        return summary
    }
}
