/// The role a bearer token grants. Unit systems (client certificates) have no role but their
/// own set of permissions (``APIPrincipal/permissions``).
public enum APIRole: String, Sendable, CaseIterable {
    /// Reads the federation's figures: status, digests, refused batches. No personal data.
    case viewer
    /// A data steward: a viewer who also reads and corrects records, consent and interactions,
    /// answers access requests, decides review pairs of identity resolution, and previews, saves
    /// and deletes segments (but does not export audiences in bulk).
    case steward
    /// Everything, also bulk imports and the audit log.
    case admin
    /// The central governance team: a viewer who also opens the dashboard (aggregates, erasure
    /// and access requests by reference; no record values).
    case governance

    /// What the role may do.
    public var permissions: Set<APIPermission> {
        switch self {
        case .viewer: [.readFederation]
        case .steward: [.readFederation, .readRecords, .writeRecords, .exportSubject, .reviewMatches, .manageSegments]
        case .admin: Set(APIPermission.allCases)
        case .governance: [.readFederation, .viewDashboard]
        }
    }
}
