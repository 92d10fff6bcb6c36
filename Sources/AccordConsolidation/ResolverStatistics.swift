/// Counts describing a resolver.
public struct ResolverStatistics: Sendable, Equatable {
    /// Records held.
    public let records: Int
    /// Non-empty blocks.
    public let blocks: Int
    /// Candidate pairs (sharing a block of at most the cap).
    public let candidatePairs: Int
    /// Candidate pairs at or above the link threshold.
    public let linkPairs: Int
    /// Candidate pairs between the thresholds.
    public let reviewPairs: Int
    /// Link components.
    public let components: Int
    /// Records in the largest component.
    public let largestComponent: Int
    /// Profiles.
    public let profiles: Int
    /// Records in the largest profile.
    public let largestProfile: Int
}
