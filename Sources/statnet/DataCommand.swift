import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check or fetch the MNIST files.",
        subcommands: [Verify.self, Download.self, Import.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the four MNIST files, check their structure and SHA-256; exit non-zero if anything is wrong.")
        @OptionGroup var dataOptions: DataOptions

        func run() throws {
            let directory = dataOptions.directory
            print("data folder: \(directory)")
            var failures = 0
            for split in MNISTSplitName.allCases {
                do {
                    let loaded = try MNIST.loadSplit(split, directory: directory)
                    var histogram = [Int](repeating: 0, count: 10)
                    for label in loaded.labels { histogram[Int(label)] += 1 }
                    print("\(split.rawValue): \(loaded.count) images 28x28, labels 0-9 (\(histogram.map(String.init).joined(separator: " "))), SHA-256 ok")
                } catch {
                    failures += 1
                    print("\(split.rawValue): FAILED: \(error)")
                }
            }
            if failures > 0 { throw ExitCode(1) }
            print("MNIST is sound")
        }
    }

    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the four MNIST files from public mirrors (tried in order), verify them and write each atomically.")
        @OptionGroup var dataOptions: DataOptions
        @Option(name: .customLong("mirror"), help: ArgumentHelp("A mirror base URL (http://, https:// or file:// for a folder); repeat to try several in order (default: three public mirrors).", valueName: "URL"))
        var mirrors: [String] = []
        @Option(help: "Seconds to wait for a mirror before trying the next.")
        var timeout: Double = 60

        func run() throws {
            let directory = dataOptions.directory
            let downloader = MNISTDownloader(mirrors: mirrors.isEmpty ? MNISTDownloader.defaultMirrors : mirrors,
                                             timeout: timeout, log: note)
            do {
                let fetched = try downloader.download(into: directory)
                print("\(directory): \(fetched.count) file(s) fetched, all four verified")
            } catch let failure as MNISTDownloader.Failure {
                throw RuntimeFailure(failure.summary)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the four MNIST files from a folder you already have into the data folder, each verified (structure and SHA-256) and written atomically.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: ArgumentHelp("The folder holding the four files (gzip'd or plain).", valueName: "SOURCE"))
        var source: String

        func run() throws {
            let directory = dataOptions.directory
            let copied = try MNISTDownloader.importFiles(from: source, into: directory)
            print("\(directory): \(copied.count) files imported from \(source), all verified")
        }
    }
}
