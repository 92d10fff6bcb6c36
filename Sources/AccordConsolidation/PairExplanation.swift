/// How two records compare, for a steward.
public struct PairExplanation: Sendable, Equatable {
    /// The level of each field.
    public let pattern: ComparisonPattern
    /// The score in bits, prior and caps included.
    public let score: Double
    /// Whether a conflict rule capped the score.
    public let conflict: Bool
    /// Whether the records share a block (only candidate pairs link directly).
    public let candidate: Bool
    /// The steward decision about the pair, if any.
    public let decision: StewardDecision?
}
