import Foundation

/// `config.json`: every setting, and the machine and software that ran it.
public struct RunInfo: Codable, Equatable, Sendable {
    public static let version = "0.2.0"
    public let config: TrainingConfig
    public let statnetVersion: String
    public let cores: Int
    public let blasCore: String
    public let blasThreads: Int
    public let parameterCount: Int
    /// When the run was started (ISO 8601, UTC); nil in runs made before this was recorded.
    public let created: String?

    public init(config: TrainingConfig) {
        self.config = config
        statnetVersion = Self.version
        cores = ProcessInfo.processInfo.activeProcessorCount
        blasCore = BLAS.coreName
        blasThreads = BLAS.threads
        parameterCount = config.architecture.parameterCount
        created = ISO8601DateFormatter().string(from: Date())
    }

    /// `created` as a date.
    public var createdDate: Date? { created.flatMap { ISO8601DateFormatter().date(from: $0) } }

    enum CodingKeys: String, CodingKey {
        case config, statnetVersion = "statnet_version", cores, blasCore = "blas_core", blasThreads = "blas_threads"
        case parameterCount = "parameter_count", created
    }
}
