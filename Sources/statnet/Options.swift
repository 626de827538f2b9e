import ArgumentParser
import Foundation
import StatNet

/// `--data DIR`: where the MNIST files are (else $STATNET_DATA, else ./data/mnist).
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder with the four MNIST IDX files (.gz or plain); default $STATNET_DATA, else ./data/mnist.", valueName: "DIR"))
    var data: String?

    var directory: String { MNIST.resolveDirectory(data) }
}

/// `--threads T`, shared by every command that computes: one default, one check.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Cores to use. Trained weights and metrics depend on the seed and data only, not on this.")
    var threads: Int = 2

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}

extension FeatureVariant: ExpressibleByArgument {}
extension NormalisationMode: ExpressibleByArgument {}
extension MNISTSplitName: ExpressibleByArgument {}
extension ModelKind: ExpressibleByArgument {}
extension Preset: ExpressibleByArgument {}

/// Progress and notes go to stderr, so stdout stays machine-readable.
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
