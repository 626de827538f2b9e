import Foundation

/// The runs of several reproduction folders of one plan, for one report: the shards of a job
/// array that ran without a shared file system, copied back. Runs of other settings are
/// refused; a run in two folders counts once if both copies agree, and is refused if not.
public struct ReportMerge {
    public enum MergeError: Error, CustomStringConvertible, Equatable {
        case otherSettings(folder: String, difference: String)
        case conflictingDuplicate(id: String, folders: [String])
        case notAReproductionFolder(String)

        public var description: String {
            switch self {
            case let .otherSettings(folder, difference):
                "\(folder) holds a reproduction with other settings than the first folder (\(difference)); one report must not mix them"
            case let .conflictingDuplicate(id, folders):
                "run \(id) is in \(folders.joined(separator: " and ")) with different results; keep one of them"
            case let .notAReproductionFolder(folder):
                "\(folder) has no runs/ folder: not a reproduction folder"
            }
        }
    }

    public let runs: [FinishedRun]
    /// The plans of all the folders as one (see `PlanInfo.union`).
    public let plan: PlanInfo?
    /// Run folders whose files could not be used, each by its path.
    public let damaged: [FinishedRun.Damaged]
    /// Runs found in more than one folder with the same result (counted once).
    public let duplicates: [String]

    public init(directories: [String]) throws {
        var plan: PlanInfo?
        var byID: [String: (run: FinishedRun, folder: String)] = [:]
        var duplicates: [String] = []
        var damaged: [FinishedRun.Damaged] = []
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: Path.join(directory, RunFiles.reproductionRuns), isDirectory: &isDirectory),
                  isDirectory.boolValue else { throw MergeError.notAReproductionFolder(directory) }
            let info = try? JSONFormat.read(PlanInfo.self, at: Path.join(directory, ReproductionFiles.plan))
            if let first = plan, let info, let difference = first.settingsDifference(from: info) {
                throw MergeError.otherSettings(folder: directory, difference: difference)
            }
            if let info { plan = plan.map { $0.union(info) } ?? info }
            let scan = FinishedRun.scan(directory)
            damaged += scan.damaged
            for run in scan.runs {
                if let seen = byID[run.spec.id] {
                    guard seen.run.spec.config.identity == run.spec.config.identity, seen.run.result.testAccuracy == run.result.testAccuracy,
                          seen.run.result.testLoss == run.result.testLoss else {
                        throw MergeError.conflictingDuplicate(id: run.spec.id, folders: [seen.folder, directory])
                    }
                    duplicates.append(run.spec.id)
                } else {
                    byID[run.spec.id] = (run, directory)
                }
            }
        }
        runs = byID.keys.sorted().map { byID[$0]!.run }
        self.plan = plan
        self.damaged = damaged
        self.duplicates = duplicates.sorted()
    }
}
