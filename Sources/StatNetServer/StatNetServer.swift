import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import StatNet

/// `statnet serve`: the page to draw on and its JSON API, on `host:port`.
public enum StatNetServer {
    /// A connection with no request for this long is closed (a request's headers included:
    /// a client that stops half-way through them is idle too).
    public static let idleTimeout = TimeAmount.seconds(15)
    /// Connections served at once, at most: 512, or fewer when the process may open fewer
    /// files (each connection is one; the models and MNIST need some), so that idle clients can
    /// never take every descriptor and lock everyone else out.
    public static func maximumConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return connectionsWithoutLimit }
        let available = Int(min(limit.rlim_cur, rlim_t(Int32.max))) - reservedDescriptors
        return max(1, min(connectionsWithoutLimit, available))
    }
    static let connectionsWithoutLimit = 512
    /// Descriptors kept for everything but connections (standard streams, files, the event loop).
    static let reservedDescriptors = 64

    /// Serves until SIGINT or SIGTERM; `onRunning` gets the port actually bound (port 0 picks one).
    public static func run(service: DigitService, host: String, port: Int, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "statnet.serve")
        logger.logLevel = .warning
        let app = Application(router: ServerRoutes.router(service: service),
                              server: .http1(configuration: .init(idleTimeout: idleTimeout)),
                              configuration: .init(address: .hostname(host, port: port), serverName: "statnet",
                                                   availableConnectionsDelegate: MaximumAvailableConnections(maximumConnections())),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.runService()
    }
}
