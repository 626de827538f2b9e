import Foundation
import Hummingbird
import Logging
import StatNet

/// `statnet serve`: the page to draw on and its JSON API, on `host:port`.
public enum StatNetServer {
    /// Serves until SIGINT or SIGTERM; `onRunning` gets the port actually bound (port 0 picks one).
    public static func run(service: DigitService, host: String, port: Int, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "statnet.serve")
        logger.logLevel = .warning
        let app = Application(router: ServerRoutes.router(service: service),
                              configuration: .init(address: .hostname(host, port: port), serverName: "statnet"),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.runService()
    }
}
