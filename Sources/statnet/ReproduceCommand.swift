import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the paper's experiments over presets and seeds, then write the report.",
        discussion: """
        Experiment 1 (both models, 55,000 / 5,000) and experiment 2 (each --sizes value, the same validation 5,000), for \
        every preset and seed; with --ablations, the ablation runs on experiment 1. Each run gets a folder under OUT/runs; \
        finished runs are skipped and half-finished ones resume from their last checkpoint, so the same command continues a \
        stopped reproduction, and a larger plan (more seeds) adds only the runs the folder lacks. --shard K/N runs every N-th \
        run only (for job arrays); then `statnet report OUT` builds the report from whatever is finished.
        """)

    enum PresetChoice: String, ExpressibleByArgument, CaseIterable { case paper, physics, both }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "paper, physics or both.")
    var preset: PresetChoice = .both
    @Option(parsing: .unconditional, help: "Seeds per configuration (seeds 0, 1, ..., K-1).")
    var seeds: Int = 1
    @Option(parsing: .unconditional, help: ArgumentHelp("Seeds for training sets of 10,000 images or fewer, whose results vary more (default: --seeds).", valueName: "K"))
    var smallSizeSeeds: Int?
    @Option(parsing: .unconditional, help: "Epochs per run (default: 20, or 2 with --quick).")
    var epochs: Int?
    @Option(help: ArgumentHelp("Training-set sizes of experiment 2, comma-separated (default: 30000,10000,5000,1000,500,100, or 1000,100 with --quick).", valueName: "N,N,..."),
            transform: SizeList.init(parsing:))
    var sizes: SizeList?
    @Option(help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String = "reports/latest"
    @Flag(help: "A small configuration for a first look (about a minute on 2 cores); not the paper's setting.")
    var quick = false
    @Flag(help: "Add the ablation runs on experiment 1.")
    var ablations = false
    @Option(help: ArgumentHelp("Run only part K of N of the run list (1-based), into the same --out.", valueName: "K/N"),
            transform: Shard.init(parsing:))
    var shard: Shard = .whole
    @OptionGroup var threadOptions: ThreadOptions

    var scale: ExperimentPlan.Scale {
        var s = quick ? ExperimentPlan.Scale.quick : .paper
        if let epochs { s.epochs = epochs }
        if let sizes { s.sizes = sizes.values.filter { $0 != s.fullTrainSize } }
        return s
    }

    var presets: [Preset] { preset == .both ? [.paper, .physics] : [preset == .paper ? .paper : .physics] }

    var plan: ExperimentPlan {
        ExperimentPlan(presets: presets, seeds: .init(count: seeds, smallSizeCount: smallSizeSeeds), scale: scale,
                       ablations: ablations, quick: quick, threads: threadOptions.threads)
    }

    func validate() throws {
        try requirePath(out, "--out")
        let most = ExperimentPlan.Seeds.maximum
        guard (1...most).contains(seeds) else { throw ValidationError("--seeds must be in 1...\(most) (got \(seeds))") }
        if let smallSizeSeeds, !(1...most).contains(smallSizeSeeds) {
            throw ValidationError("--small-size-seeds must be in 1...\(most) (got \(smallSizeSeeds))")
        }
        if let sizes {
            guard sizes.values.count <= ExperimentPlan.Scale.maximumSizes else {
                throw ValidationError("--sizes takes at most \(ExperimentPlan.Scale.maximumSizes) sizes (got \(sizes.values.count))")
            }
            let repeated = Dictionary(grouping: sizes.values, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            guard repeated.isEmpty else {
                throw ValidationError("--sizes lists \(repeated.map(String.init).joined(separator: ", ")) more than once; give each size once")
            }
        }
        if let epochs, !(1...TrainingConfig.maximumEpochs).contains(epochs) {
            throw ValidationError("--epochs must be in 1...\(TrainingConfig.maximumEpochs) (got \(epochs))")
        }
        if let bad = scale.sizes.first(where: { $0 > scale.fullTrainSize }) {
            throw ValidationError("--sizes value \(bad) is larger than the \(scale.fullTrainSize) training images")
        }
    }

    func run() throws {
        let clock = PlanClock()
        let runner = ExperimentRunner(plan: plan, directory: out, shard: shard, observers: [clock, ExperimentProgress()])
        runner.trainingObservers = { spec, index, count in [ProgressPrinter(run: (index, count, spec.id), plan: clock)] }
        var loaded: MNIST?
        let summary = try runner.run(data: {
            let mnist = try MNIST.load(directory: dataOptions.directory)
            loaded = mnist
            return mnist
        })
        try writeReport(out: out, mnist: try loaded ?? MNIST.load(directory: dataOptions.directory))
        if let signal = summary.stoppedBy { throw Interrupted(signal: signal, resume: "run the same command to continue") }
        if !summary.failed.isEmpty {
            throw RuntimeFailure("\(summary.failed.count) run(s) failed:\n" + summary.failed.map { "\($0.id): \($0.error)" }.joined(separator: "\n"))
        }
    }
}

/// The experiment runner's events as lines on stderr.
final class ExperimentProgress: ExperimentObserver {
    func handle(_ event: ExperimentEvent) {
        switch event {
        case let .started(runs, planned, shard, directory):
            note("reproduce: \(runs) runs" + (shard.count > 1 ? " (shard \(shard) of \(planned))" : "") + " into \(directory)")
        case let .skipped(index, count, spec):
            note("[\(index)/\(count) \(spec.id)] finished, skipped")
        case let .runFailed(index, count, spec, error):
            note("[\(index)/\(count) \(spec.id)] FAILED: \(error)")
        case let .repaired(spec, file):
            note("reproduce: \(file) could not be read; written again from the plan (run \(spec.id))")
        case let .finished(summary):
            note("reproduce: done in \(ProgressPrinter.duration(summary.seconds))")
        case let .runStarted(index, count, spec, progress):
            if index > 1 {
                note("[\(index)/\(count) \(spec.id)] plan: \(ProgressPrinter.duration(progress.elapsedSeconds)) so far"
                     + (progress.secondsLeft.map { ", about \(ProgressPrinter.duration($0)) left" } ?? ""))
            }
        case .runFinished:
            break
        }
    }
}

/// Builds the report from the finished runs in `out` (MNIST, when given, adds the feature heatmaps).
func writeReport(out: String, mnist: MNIST?) throws {
    let writer = ReportWriter(directory: out, mnist: mnist)
    try writer.write(to: out)
    for damaged in writer.damaged { note("report: left out \(damaged)") }
    print("\(Path.join(out, ReproductionFiles.report)): \(writer.runs.count) finished runs")
}
