/// The verdict on one claim of the paper, from the 95% interval [low, high] of its measure
/// (oriented so that a positive value favours StatNet) and an equivalence margin m, both named
/// in the analysis plan before the data. Seven zones and "undecided"; the rule never calls
/// "better" what is also "equivalent":
///
/// | zone | interval |
/// |---|---|
/// | better by more than the margin | m < low |
/// | better, possibly by less than the margin | 0 < low <= m <= high |
/// | better, but negligibly | 0 < low and high < m |
/// | equivalent | -m < low <= 0 <= high < m |
/// | worse, but negligibly | -m < low and high < 0 |
/// | worse, possibly by less than the margin | low <= -m <= high < 0 |
/// | worse by more than the margin | high < -m |
/// | undecided | anything else: the interval spans 0 and reaches past a margin |
public enum ClaimVerdict: String, Codable, Sendable, CaseIterable {
    case betterBeyondMargin = "better-by-more-than-margin"
    case betterPossiblyWithinMargin = "better-possibly-by-less-than-margin"
    case betterNegligibly = "better-but-negligibly"
    case equivalent
    case worseNegligibly = "worse-but-negligibly"
    case worsePossiblyWithinMargin = "worse-possibly-by-less-than-margin"
    case worseBeyondMargin = "worse-by-more-than-margin"
    case undecided

    /// - Parameters:
    ///   - differenceShown: false when the test of "the difference is 0" did not survive an
    ///     adjustment for multiple tests (Holm): then the interval counts as one that reaches
    ///     0, and only "equivalent" or "undecided" remain.
    public init(low: Double, high: Double, margin m: Double, differenceShown: Bool = true) {
        if differenceShown && low > 0 {
            self = low > m ? .betterBeyondMargin : high < m ? .betterNegligibly : .betterPossiblyWithinMargin
        } else if differenceShown && high < 0 {
            self = high < -m ? .worseBeyondMargin : low > -m ? .worseNegligibly : .worsePossiblyWithinMargin
        } else if low > -m && high < m {
            self = .equivalent
        } else {
            self = .undecided
        }
    }

    /// The zone in plain words, as every table and finding shows it.
    public var words: String {
        switch self {
        case .betterBeyondMargin: "better by more than the margin"
        case .betterPossiblyWithinMargin: "better, possibly by less than the margin"
        case .betterNegligibly: "better, but negligibly"
        case .equivalent: "equivalent"
        case .worseNegligibly: "worse, but negligibly"
        case .worsePossiblyWithinMargin: "worse, possibly by less than the margin"
        case .worseBeyondMargin: "worse by more than the margin"
        case .undecided: "undecided"
        }
    }

    /// StatNet better (by any amount the interval shows) or worse.
    public var favoursStatNet: Bool { [.betterBeyondMargin, .betterPossiblyWithinMargin, .betterNegligibly].contains(self) }
    public var favoursMLPNet: Bool { [.worseBeyondMargin, .worsePossiblyWithinMargin, .worseNegligibly].contains(self) }
    /// Whether the interval leaves room for a difference beyond the margin (the "largest
    /// difference allowed" is worth printing).
    public var leavesRoomBeyondMargin: Bool { [.undecided, .betterPossiblyWithinMargin, .worsePossiblyWithinMargin].contains(self) }
}
