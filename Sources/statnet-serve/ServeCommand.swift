import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine
import StatNetServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statnet serve",
        abstract: "A web page to draw a digit on and see both models read it, with its four feature channels; and its JSON API.",
        discussion: "--models takes a reproduction folder (its largest training set: StatNet and MLPNet of the physics preset if there, else paper) or two run folders. With none, reports/latest or reports/quick is used if it holds finished runs; else two small models are trained once (3 epochs, a few minutes) into models/demo and reused. The page and its script are in the binary: no file is served from disk.")

    @Option(help: "Address to bind (127.0.0.1: this machine only; 0.0.0.0 for every interface).")
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port (0: any free port, printed at start).")
    var port = 8080
    @Option(parsing: .upToNextOption, help: ArgumentHelp("A reproduction folder, or a StatNet and an MLPNet run folder.", valueName: "PATH"))
    var models: [String] = []
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535 (got \(port))") }
        guard models.count <= 2 else { throw ValidationError("--models takes a reproduction folder or two run folders") }
    }

    func run() async throws {
        var mnist: MNIST?
        func data() throws -> MNIST {
            if let mnist { return mnist }
            let loaded = try MNIST.load(directory: dataOptions.directory)
            mnist = loaded
            return loaded
        }
        do { try ServeAddressError.check(host: host, port: port) } catch { throw RuntimeFailure("serve: \(error)") }
        // While the demo models train, the address already answers with their progress.
        var startingPage: StartingPage?
        defer { startingPage?.stop() }
        let (host, port) = (host, port)
        let statnetFolder: String, mlpnetFolder: String
        do {
            (statnetFolder, mlpnetFolder) = try ServerModels.resolve(models, data: data, threads: threadOptions.threads, log: note) {
                let page = try StartingPage(host: host, port: port)
                startingPage = page
                note("serve: http://\(host):\(page.port)/ shows the training's progress until the models are ready (a few minutes)")
                return DemoTrainingProgress(models: ModelKind.allCases) { page.update($0) }
            }
        } catch TrainingError.interrupted {
            throw Interrupted(signal: StopRequest.signal ?? SIGINT, resume: "run `statnet serve` again to continue training the demo models")
        }
        let test: MNISTSplit?
        do { test = try data().test } catch {
            note("serve: no MNIST (\(error)); the page works without test digits")
            test = nil
        }
        let service = DigitService(statnet: try TrainedModel(folder: statnetFolder, batchCapacity: 64),
                                   mlpnet: try TrainedModel(folder: mlpnetFolder, batchCapacity: 64), test: test)
        note("serve: StatNet from \(statnetFolder), MLPNet from \(mlpnetFolder)")
        // The server takes the starting page's port over (port 0 became a real one there).
        let serverPort = startingPage?.port ?? port
        startingPage?.stop()
        do {
            try await StatNetServer.run(service: service, host: host, port: serverPort) { bound in
                // Flushed, so that a script waiting for this line sees it at once; a closed or full
                // stdout costs the line, not the server.
                let line = "serving on http://\(host):\(bound)/ (Ctrl-C stops)\n"
                if !StandardStream.output(line) { note("serve: stdout cannot be written; " + line) }
            }
        } catch {
            throw RuntimeFailure("serve: \(ServeAddressError(error, host: host, port: serverPort).map { "\($0)" } ?? "\(error)")")
        }
    }
}
