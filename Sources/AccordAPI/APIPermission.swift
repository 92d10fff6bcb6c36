/// What a route needs. Each route needs one (or none: any authenticated caller).
public enum APIPermission: String, Sendable, CaseIterable, Comparable {
    /// Federation status, digests, refused batches, `/metrics`.
    case readFederation
    /// Records, consent checks and receipts (personal data).
    case readRecords
    /// Writing record values, consent decisions and interaction events (personal data).
    case writeRecords
    /// Bulk imports (CSV, JSON lines).
    case importRecords
    /// Access requests: everything held on a record, with lineage.
    case exportSubject
    /// The audit log.
    case readAudit
    /// Steward decisions on identity resolution (must-link, cannot-link) from the review queue.
    case reviewMatches
    /// The governance dashboard (`/dashboard`).
    case viewDashboard
    /// Saving and deleting segments (a name and a filter for this unit, channel and purpose).
    case manageSegments
    /// Exporting a segment's audience (personal data in bulk, within consent; audited).
    case exportSegments

    /// Declaration order.
    public static func < (lhs: APIPermission, rhs: APIPermission) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The token roles that have this permission, for messages.
    var roles: [APIRole] { APIRole.allCases.filter { $0.permissions.contains(self) } }
}
