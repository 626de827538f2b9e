import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild report.md, results.json and figures/ from the finished runs of a reproduction folder, or merge several; or draw one run's curves.",
        discussion: "Given one run folder (from statnet train, or one under a reproduction's runs/), it draws that run's training and validation curves into curves.svg in the run folder and lists its epochs; the run may still be training. With several folders (the shards of a job array that ran without a shared file system), their runs are merged into one report, written into the first folder or --out: runs of other settings are refused, and a run found twice counts once if both copies agree.")
    @OptionGroup var dataOptions: DataOptions
    @Argument(help: ArgumentHelp("Reproduction folders (reproduce --out), or one run folder (train --out).", valueName: "DIR"))
    var directories: [String]
    @Option(help: ArgumentHelp("Where the report goes (default: the first folder).", valueName: "DIR"))
    var out: String?

    func validate() throws {
        guard !directories.isEmpty else { throw ValidationError("give at least one reproduction folder") }
        if let out { try requirePath(out, "--out") }
        if runFolder != nil, out != nil {
            throw ValidationError("--out is for reproduction folders: a run's curves go into the run folder (\(RunCurves.figure))")
        }
    }

    /// The one run folder given (not a reproduction folder), whose curves are drawn.
    var runFolder: String? {
        guard directories.count == 1, !FileManager.default.fileExists(atPath: Path.join(directories[0], ReproductionFiles.runs)),
              RunCurves.isRunFolder(directories[0]) else { return nil }
        return directories[0]
    }

    func run() throws {
        if let runFolder { return try drawRun(runFolder) }
        let merge: ReportMerge
        do { merge = try ReportMerge(directories: directories) } catch let error as ReportMerge.MergeError {
            throw RuntimeFailure("\(error)")
        }
        if !merge.duplicates.isEmpty {
            note("report: \(merge.duplicates.count) run(s) found in more than one folder with the same results, counted once: "
                 + merge.duplicates.prefix(5).joined(separator: ", ") + (merge.duplicates.count > 5 ? ", ..." : ""))
        }
        let mnist: MNIST?
        do { mnist = try MNIST.load(directory: dataOptions.directory) } catch {
            note("no feature heatmaps in the report (\(error))")
            mnist = nil
        }
        let target = out ?? directories[0]
        let writer = ReportWriter(merging: merge, mnist: mnist)
        try writer.write(to: target)
        for damaged in writer.damaged { note("report: left out \(damaged)") }
        if let out, let plan = merge.plan { try AtomicFile.writeJSON(plan, to: Path.join(out, ReproductionFiles.plan)) }
        print("\(Path.join(target, ReproductionFiles.report)): \(writer.runs.count) finished runs")
    }

    /// One run's curves into its own folder, and its epochs on stdout.
    func drawRun(_ folder: String) throws {
        let curves: RunCurves
        do { curves = try RunCurves(folder: folder) } catch let problem as RunCurves.Problem { throw RuntimeFailure("\(problem)") }
        let path = Path.join(folder, RunCurves.figure)
        try AtomicFile.write(curves.svg(), to: path)
        print(curves.title)
        curves.table().forEach { print($0) }
        print("\(path): training and validation curves")
    }
}
