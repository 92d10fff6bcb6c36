/// The chaining guard.
public struct ClusteringRules: Codable, Sendable, Equatable {
    /// Whether the guard is on. Off, clustering is plain union-find over the links (single linkage),
    /// still honouring cannot-links: only for measuring what the guard does.
    public var chainingGuard: Bool
    /// Two clusters merge over a link only if no pair of records across them is in conflict
    /// (``ConflictRules``) and every such pair scores at least this many bits (`nil`: the review
    /// threshold). So a record that links to two different people does not chain them into one profile.
    public var cohesionFloor: Double?

    /// Creates the guard.
    public init(chainingGuard: Bool = true, cohesionFloor: Double? = -10) {
        self.chainingGuard = chainingGuard
        self.cohesionFloor = cohesionFloor
    }

    /// On, with a floor of -10 bits (odds of 1:1024 against a match, for that pair on its own).
    public static let standard = ClusteringRules()
}
