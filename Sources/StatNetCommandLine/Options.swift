import ArgumentParser
import Foundation
import StatNet

/// `--data DIR`: where the MNIST files are (else $STATNET_DATA, else ./data/mnist).
public struct DataOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: ArgumentHelp("Folder with the four MNIST IDX files (.gz or plain); default $STATNET_DATA, else ./data/mnist.", valueName: "DIR"))
    public var data: String?

    public var directory: String { MNIST.resolveDirectory(data) }
}

/// `--threads T`, shared by every command that computes: one default, one check.
public struct ThreadOptions: ParsableArguments {
    public init() {}

    @Option(parsing: .unconditional, help: "Cores to use. Trained weights and metrics depend on the seed and data only, not on this.")
    public var threads: Int = 2

    public func validate() throws { try Self.check(threads) }

    public static func check(_ threads: Int) throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard threads <= TrainingConfig.maximumThreads else { throw ValidationError("--threads must be at most \(TrainingConfig.maximumThreads)") }
    }
}

/// `--threads T` for the benchmarks: the same check, help written for timing.
public struct BenchThreadOptions: ParsableArguments {
    public init() {}

    @Option(parsing: .unconditional, help: "Cores the timed work runs on; compare only runs made with the same count, back to back.")
    public var threads: Int = 2

    public func validate() throws { try ThreadOptions.check(threads) }
}

/// `--model` and `--preset`: which network, fed which way.
public struct ModelOptions: ParsableArguments {
    public init() {}

    @Option(help: "statnet (four feature channels) or mlpnet (pixels in all four branches).")
    public var model: ModelKind = .statnet
    @Option(help: "paper (reference features, no normalisation) or physics (boltzmann features, channel normalisation).")
    public var preset: Preset = .physics
}

/// `--json`: one JSON object on stdout instead of text.
public struct JSONOption: ParsableArguments {
    public init() {}

    @Flag(help: "Print JSON instead of text.")
    public var json = false
}

/// A comma-separated list of training-set sizes, for example `30000,1000,100`. Parsed once,
/// here; options take it with `transform: SizeList.init(parsing:)` so that a bad value gets
/// this message rather than a generic one.
public struct SizeList: Equatable {
    public let values: [Int]

    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--sizes must be positive whole numbers separated by commas (got \(text))")
        }
        values = parts.compactMap { $0 }
    }
}

extension FeatureVariant: ExpressibleByArgument {}
extension NormalisationMode: ExpressibleByArgument {}
extension MNISTSplitName: ExpressibleByArgument {}
extension ModelKind: ExpressibleByArgument {}
extension Preset: ExpressibleByArgument {}
extension TrainingStepKind: ExpressibleByArgument {}

/// Refuses an empty path option before any work (`--out ''` would mean the current folder
/// to some calls and nothing to others).
public func requirePath(_ path: String, _ option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option) must not be empty") }
}

/// Progress and notes go to stderr, so stdout stays machine-readable (a closed stderr loses
/// the note, never the command).
public func note(_ line: String) {
    StandardStream.error(line + "\n")
}
