/// The verdict on one claim of the paper, from the 95% interval of its measure (oriented so
/// that a positive value favours StatNet) and an equivalence margin, both fixed before the
/// data: the rule is applied by the code, in this order.
public enum ClaimVerdict: String, Codable, Sendable, CaseIterable {
    /// The interval lies above 0.
    case supported
    /// The interval lies below 0.
    case contradicted
    /// The whole interval lies inside (-margin, +margin): any difference is too small to matter.
    case noDifference = "no-difference"
    /// None of these: more seeds would be needed to say.
    case undecided

    /// - Parameters:
    ///   - differenceShown: false when the test of "the difference is 0" did not survive an
    ///     adjustment for multiple tests (Holm): then only no-difference or undecided remain.
    public init(low: Double, high: Double, margin: Double, differenceShown: Bool = true) {
        if differenceShown && low > 0 { self = .supported }
        else if differenceShown && high < 0 { self = .contradicted }
        else if low > -margin && high < margin { self = .noDifference }
        else { self = .undecided }
    }
}
