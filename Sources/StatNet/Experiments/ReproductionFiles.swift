import Foundation

/// The files of a reproduction folder, each named once here: the runner writes the plan and
/// the runs, the report writer the rest, and both (and the folder checks) read the names here.
public enum ReproductionFiles {
    /// What the plan is (`PlanInfo`).
    public static let plan = "plan.json"
    /// The folder that holds one run folder per run id.
    public static let runs = RunFiles.reproductionRuns
    /// The report (`ReportMarkdown`).
    public static let report = "report.md"
    /// Every number of the report (`ReportResults`).
    public static let results = "results.json"
    /// The report's SVG figures.
    public static let figures = "figures"

    /// The lock held while the folder's plan is checked and written (see `ExperimentRunner`).
    static let planLock = ".statnet-plan.lock"

    /// Every name a reproduction folder may hold (besides hidden files).
    public static let all: Set<String> = [plan, runs, report, results, figures]

    /// Refuses `folder` unless it is missing, empty (hidden files aside), or this tool's: a
    /// reproduction folder (a `plan.json` that reads as one, or what `alsoOurs` recognises, a
    /// report's `results.json` say), holding no names besides `all`. Merely having a `runs/`
    /// subfolder does not make a folder ours.
    public static func requireOurs(_ folder: String, alsoOurs: (String) -> Bool = { _ in false }) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw ReproductionError.notAReproductionFolder(folder: folder, examples: ["(it is a file)"]) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }
        guard !names.isEmpty else { return }
        let foreign = names.filter { !all.contains($0) }
        guard foreign.isEmpty, holdsPlan(folder) || alsoOurs(folder) else {
            throw ReproductionError.notAReproductionFolder(folder: folder, examples: Array((foreign.isEmpty ? names : foreign).sorted().prefix(3)))
        }
    }

    /// Whether `folder` has a `plan.json` this tool wrote.
    public static func holdsPlan(_ folder: String) -> Bool {
        (try? JSONFormat.read(PlanInfo.self, at: Path.join(folder, plan))) != nil
    }
}
