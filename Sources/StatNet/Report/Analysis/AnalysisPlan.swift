import Foundation

/// The pre-registered analysis plan (`Sources/StatNet/Resources/analysis-plan.json`, compiled
/// into the library; docs/analysis-plan.md is its human page): each claim's primary measure,
/// scale, margin and its justification, the verdict rule, the multiplicity family, the seeds
/// and the stopping rule. The claims' code takes its margins from here, and the report prints
/// the plan's version, its commit and the moment it was fixed.
public struct AnalysisPlan: Codable, Sendable {
    public struct Claim: Codable, Sendable {
        public let claim: String
        public let primary: String
        public let scale: String
        public let margin: Double
        public let marginJustification: String
        public let secondary: [String]?
        public let sensitivity: [String]?
        public let trend: String?
    }

    public let version: Int
    /// When the plan was fixed: runs started before it give post hoc verdicts.
    public let fixed: String
    /// The commit that fixed this version of the plan (recorded by the commit after it, since a
    /// file cannot name its own commit); nil until then.
    public let commit: String?
    public let alpha: Double
    public let interval: String
    public let verdictRule: String
    public let multiplicity: String
    public let claims: [Claim]
    public let exactTests: String
    public let testSetUncertainty: String
    public let seeds: String
    public let stopping: String
    public let preRegistration: String

    /// The plan this build applies.
    public static let current: AnalysisPlan = {
        do { return try JSONDecoder().decode(AnalysisPlan.self, from: Data(PackageResources.analysis_plan_json)) } catch {
            preconditionFailure("the compiled-in analysis plan does not read: \(error)")
        }
    }()

    /// `fixed` as a date.
    public var fixedDate: Date? { ISO8601DateFormatter().date(from: fixed) }

    /// The margin of `claim` (precondition: the plan names it).
    public func margin(of claim: Claims.Claim) -> Double {
        guard let entry = claims.first(where: { $0.claim == claim.rawValue }) else { preconditionFailure("the plan names no claim \(claim)") }
        return entry.margin
    }

    /// Whether runs created at `dates` are all after the plan was fixed (nil: a run with no
    /// creation time, made before runs recorded one).
    public func preRegistered(_ dates: [Date?]) -> Bool {
        guard let fixedDate else { return false }
        return dates.allSatisfy { $0.map { $0 > fixedDate } ?? false }
    }
}
