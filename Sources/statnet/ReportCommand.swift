import ArgumentParser
import Foundation
import StatNet

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Rebuild report.md, results.json and figures/ from the finished runs of a reproduction folder.")
    @OptionGroup var dataOptions: DataOptions
    @Argument(help: ArgumentHelp("The reproduction folder (reproduce --out).", valueName: "DIR"))
    var directory: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: RunFiles.path(ExperimentRunner.runsFolder, in: directory), isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw RuntimeFailure("\(directory) has no runs/ folder: not a reproduction folder")
        }
        let mnist: MNIST?
        do { mnist = try MNIST.load(directory: dataOptions.directory) } catch {
            note("no feature heatmaps in the report (\(error))")
            mnist = nil
        }
        try writeReport(out: directory, mnist: mnist)
    }
}
