import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

@main
struct StatNetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statnet",
        abstract: "StatNet (Keyork, 2023) in Swift: Boltzmann-statistics features for MNIST, the paper's models, and benchmarks.",
        version: RunInfo.version,
        subcommands: [DataCommand.self, FeaturesCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self,
                      ReproduceCommand.self, ReportCommand.self, ServeCommand.self, BenchCommand.self]
    )

    static func main() async {
        CommandRunner.prepare()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = unknownCommand(arguments) {
            note("Error: \(message)")
            Self.exit(withError: ExitCode.validationFailure)
        }
        await CommandRunner.run(Self.self, arguments: arguments)
    }

    /// "unknown command 'trian'; did you mean 'train'?" for a first word (or the word after
    /// `help`) that is no subcommand; nil when the command line starts well.
    static func unknownCommand(_ arguments: [String]) -> String? {
        let names = configuration.subcommands.map { $0.configuration.commandName ?? "\($0)".lowercased() } + ["help"]
        var words = arguments
        if words.first == "help" { words.removeFirst() }
        guard let word = words.first, !word.hasPrefix("-"), !names.contains(word) else { return nil }
        let closest = names.filter { $0 != "help" }.min { editDistance(word, $0) < editDistance(word, $1) }
        let suggestion = closest.flatMap { editDistance(word, $0) <= max(2, word.count / 3) ? "; did you mean '\($0)'?" : nil }
        return "unknown command '\(word)'" + (suggestion ?? "") + " Commands: " + names.filter { $0 != "help" }.joined(separator: ", ")
            + " (statnet help <command> for one)."
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
