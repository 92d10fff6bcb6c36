public import AccordModel

/// A data steward's decision about two records.
public struct StewardDecision: Sendable, Hashable {
    /// What the steward decided.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The records are the same person: they share a profile whatever the score (unless a
        /// cannot-link keeps their clusters apart).
        case mustLink
        /// The records are different people: they never share a profile, nor do clusters containing them.
        case cannotLink
    }

    /// The record that sorts first.
    public let first: RecordKey
    /// The other record.
    public let second: RecordKey
    /// The decision.
    public let kind: Kind
    /// When it was decided (orders must-links when some of them have to give way to a cannot-link).
    public let decided: HLC

    /// Creates a decision about two records (given in any order). A decision about a record and
    /// itself means nothing; the resolver ignores it.
    public init(_ a: RecordKey, _ b: RecordKey, _ kind: Kind, decided: HLC) {
        (first, second) = a < b ? (a, b) : (b, a)
        self.kind = kind
        self.decided = decided
    }
}
