import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

/// `statnet serve`: runs `statnet-serve`, the server binary beside this one, with the same
/// arguments. The server is a binary of its own so that the main tool builds without SwiftNIO
/// and Hummingbird; in a build folder it is built on first use.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A web page to draw a digit on and see both models read it, with its four feature channels; and its JSON API.",
        discussion: "`statnet serve --help` lists its options (--host, --port, --models, --data, --threads). The server is the binary statnet-serve beside statnet; in a SwiftPM build folder it is built the first time it is needed (about 3 minutes).")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The server's options.", valueName: "option"))
    var arguments: [String] = []

    func run() throws {
        let server = try ServerBinary.locate(log: note)
        var argv: [UnsafeMutablePointer<CChar>?] = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, &argv)
        throw RuntimeFailure("serve: cannot start \(server): \(String(cString: strerror(errno)))")
    }
}

/// Where `statnet-serve` is: beside this executable; in a SwiftPM build folder (`.build/<config>/`),
/// built there first when it is missing.
enum ServerBinary {
    static let name = "statnet-serve"

    static func locate(log: (String) -> Void) throws -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent()
        let server = folder.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: server) { return server }
        guard let package = packageRoot(above: folder) else {
            throw RuntimeFailure("serve: \(server) is missing; build it in the package with `swift build -c release --product \(name)`")
        }
        let release = folder.path.split(separator: "/").contains("release")
        let flags = release ? ["-c", "release", "-Xswiftc", "-enable-testing"] : []
        log("serve: building the server (\(name), first use: about 3 minutes) in \(package)")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build"] + flags + ["--product", name]
        build.currentDirectoryURL = URL(fileURLWithPath: package)
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: server) else {
            throw RuntimeFailure("serve: building \(name) failed (status \(build.terminationStatus)); "
                                 + "run `swift build \((flags + ["--product", name]).joined(separator: " "))` in \(package) to see why")
        }
        return server
    }

    /// The package whose `.build` folder holds `folder`, if it is one.
    static func packageRoot(above folder: URL) -> String? {
        var url = folder
        while url.path != "/" {
            if url.lastPathComponent == ".build" {
                let root = url.deletingLastPathComponent()
                return FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) ? root.path : nil
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }
}
