import ArgumentParser
import Foundation
import StatNet

/// `--data DIR`: where the MNIST files are (else $STATNET_DATA, else ./data/mnist).
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder with the four MNIST IDX files (.gz or plain); default $STATNET_DATA, else ./data/mnist.", valueName: "DIR"))
    var data: String?

    var directory: String { MNIST.resolveDirectory(data) }
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
