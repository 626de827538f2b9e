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

    /// Every name a reproduction folder may hold (besides hidden files).
    public static let all: Set<String> = [plan, runs, report, results, figures]
}
