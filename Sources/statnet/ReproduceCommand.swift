import ArgumentParser
import Foundation
import StatNet

struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the paper's experiments over presets and seeds, then write the report.",
        discussion: """
        Experiment 1 (both models, 55,000 / 5,000) and experiment 2 (each --sizes value, the same validation 5,000), for
        every preset and seed; with --ablations, the ablation runs on experiment 1. Each run gets a folder under
        OUT/runs; finished runs are skipped and half-finished ones resume from their last checkpoint, so the same
        command continues a stopped reproduction. --shard K/N runs every N-th run only (for job arrays); then
        `statnet report OUT` builds the report from whatever is finished.
        """)

    enum PresetChoice: String, ExpressibleByArgument { case paper, physics, both }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "paper, physics or both.")
    var preset: PresetChoice = .both
    @Option(help: "Seeds per configuration (seeds 0, 1, ..., K-1).")
    var seeds: Int = 1
    @Option(help: "Epochs per run.")
    var epochs: Int?
    @Option(help: "Training-set sizes of experiment 2, comma-separated.")
    var sizes: String?
    @Option(help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String = "reports/latest"
    @Flag(help: "A small configuration for a first look (about a minute on 2 cores); not the paper's setting.")
    var quick = false
    @Flag(help: "Add the ablation runs on experiment 1.")
    var ablations = false
    @Option(help: ArgumentHelp("Run only part K of N of the run list (1-based), into the same --out.", valueName: "K/N"))
    var shard: String?
    @OptionGroup var threadOptions: ThreadOptions

    func parsedShard() throws -> (Int, Int) {
        guard let shard else { return (1, 1) }
        let parts = shard.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (1...n).contains(k) else {
            throw ValidationError("--shard must be K/N with 1 <= K <= N (got \(shard))")
        }
        return (k, n)
    }

    func scale() throws -> ExperimentPlan.Scale {
        var s = quick ? ExperimentPlan.Scale.quick : .paper
        if let epochs { s.epochs = epochs }
        if let sizes {
            let values = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw ValidationError("--sizes must be positive whole numbers separated by commas (got \(sizes))")
            }
            s.sizes = values.map { $0! }.filter { $0 != s.fullTrainSize }
        }
        return s
    }

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        _ = try parsedShard()
        let s = try scale()
        if let bad = s.sizes.first(where: { $0 > s.fullTrainSize }) {
            throw ValidationError("--sizes value \(bad) is larger than the \(s.fullTrainSize) training images")
        }
    }

    func run() throws {
        let scale = try scale()
        let presets: [Preset] = preset == .both ? [.paper, .physics] : [preset == .paper ? .paper : .physics]
        let seedList = (0..<seeds).map(UInt64.init)
        let plan = ExperimentPlan(presets: presets, seeds: seedList, scale: scale, ablations: ablations, threads: threadOptions.threads)
        let (k, n) = try parsedShard()
        let mine = plan.shard(k, of: n)
        let mnist = try MNIST.load(directory: dataOptions.directory)
        let info = ReportWriter.PlanInfo(quick: quick, scale: scale, seeds: seedList, presets: presets, ablations: ablations, plannedRuns: plan.runs.count)
        try AtomicFile.writeJSON(info, to: (out as NSString).appendingPathComponent(ReportWriter.planFile))
        note("reproduce: \(mine.count) runs" + (n > 1 ? " (shard \(k)/\(n) of \(plan.runs.count))" : "") + " into \(out)")
        let start = Clock.now
        var failures: [String] = []
        for (i, spec) in mine.enumerated() {
            let dir = (out as NSString).appendingPathComponent("runs/\(spec.id)")
            let label = "[\(i + 1)/\(mine.count) \(spec.id)]"
            if RunFolder.finishedResult(in: dir, epochs: spec.config.epochs) != nil {
                note("\(label) finished, skipped")
                continue
            }
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try AtomicFile.writeJSON(spec, to: (dir as NSString).appendingPathComponent(RunRecord.specFile))
                _ = try RunFolder.train(config: spec.config, out: dir, resume: true, data: { mnist }, observers: [ProgressPrinter(label: label)])
            } catch {
                note("\(label) FAILED: \(error)")
                failures.append("\(spec.id): \(error)")
            }
        }
        try writeReport(out: out, mnist: mnist)
        note(String(format: "reproduce: done in %@; report in %@/report.md", ProgressPrinter.duration(Clock.seconds(Clock.now - start)), out))
        if !failures.isEmpty {
            throw ValidationError("\(failures.count) run(s) failed:\n" + failures.joined(separator: "\n"))
        }
    }
}

/// Builds the report from the finished runs in `out` (MNIST, when given, adds the feature heatmaps).
func writeReport(out: String, mnist: MNIST?) throws {
    let plan = FileManager.default.contents(atPath: (out as NSString).appendingPathComponent(ReportWriter.planFile))
        .flatMap { try? JSONDecoder().decode(ReportWriter.PlanInfo.self, from: $0) }
    let digit = mnist.map { (pixels: Array($0.test.pixels[0..<784]), label: Int($0.test.labels[0]), index: 0) }
    let records = RunRecord.load(from: out)
    try ReportWriter(records: records, plan: plan, digit: digit).write(to: out)
    print("\((out as NSString).appendingPathComponent("report.md")): \(records.filter { $0.result != nil }.count) finished runs")
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Rebuild report.md, results.json and figures/ from the finished runs of a reproduction folder.")
    @OptionGroup var dataOptions: DataOptions
    @Argument(help: ArgumentHelp("The reproduction folder (reproduce --out).", valueName: "DIR"))
    var directory: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("runs"), isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(directory) has no runs/ folder: not a reproduction folder")
        }
        let mnist: MNIST?
        do { mnist = try MNIST.load(directory: dataOptions.directory) } catch {
            note("no feature heatmaps in the report (\(error))")
            mnist = nil
        }
        try writeReport(out: directory, mnist: mnist)
    }
}
