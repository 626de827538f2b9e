import StatNetCommandLine

/// `statnet-serve`: the server of `statnet serve`, a binary of its own so that the main tool
/// builds without SwiftNIO and Hummingbird (`statnet serve` runs this one).
@main
enum StatNetServeTool {
    static func main() async {
        CommandRunner.prepare()
        await CommandRunner.run(ServeCommand.self, arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
