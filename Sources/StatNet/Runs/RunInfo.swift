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

    public init(config: TrainingConfig) {
        self.config = config
        statnetVersion = Self.version
        cores = ProcessInfo.processInfo.activeProcessorCount
        blasCore = BLAS.coreName
        blasThreads = BLAS.threads
        parameterCount = config.architecture.parameterCount
    }

    enum CodingKeys: String, CodingKey {
        case config, statnetVersion = "statnet_version", cores, blasCore = "blas_core", blasThreads = "blas_threads"
        case parameterCount = "parameter_count"
    }
}
