/// The role a bearer token grants. Unit systems (client certificates) have no role but their
/// own set of permissions (``APIPrincipal/permissions``).
public enum APIRole: String, Sendable, CaseIterable {
    /// Reads the federation's figures: status, digests, refused batches. No personal data.
    case viewer
    /// A data steward: a viewer who also reads and corrects records, consent and interactions,
    /// and answers access requests.
    case steward
    /// Everything, also bulk imports and the audit log.
    case admin

    /// What the role may do.
    public var permissions: Set<APIPermission> {
        switch self {
        case .viewer: [.readFederation]
        case .steward: [.readFederation, .readRecords, .writeRecords, .exportSubject]
        case .admin: Set(APIPermission.allCases)
        }
    }
}

/// What a route needs. Each route needs one (or none: any authenticated caller).
public enum APIPermission: String, Sendable, CaseIterable, Comparable {
    /// Federation status, digests, refused batches.
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

    /// Declaration order.
    public static func < (lhs: APIPermission, rhs: APIPermission) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The token roles that have this permission, for messages.
    var roles: [APIRole] { APIRole.allCases.filter { $0.permissions.contains(self) } }
}

/// Who is calling, once authenticated.
public enum APIPrincipal: Sendable, Equatable {
    /// A person or tool with a bearer token.
    case token(id: String, name: String, role: APIRole)
    /// A system of this node's unit, presenting the unit's client certificate.
    case unitSystem(unit: String)

    /// What the caller may do. A unit system may do what integrating its own unit needs
    /// (records, consent, interactions, imports, access requests, status), not read the audit log.
    public var permissions: Set<APIPermission> {
        switch self {
        case .token(_, _, let role): role.permissions
        case .unitSystem: Set(APIPermission.allCases).subtracting([.readAudit])
        }
    }

    /// The operator name in the audit log: `token:<name>` or `system:<unit>`.
    public var operatorName: String {
        switch self {
        case .token(_, let name, _): "token:\(name)"
        case .unitSystem(let unit): "system:\(unit)"
        }
    }

    /// How the principal is named in messages: `token alice (viewer)`, `the retail system`.
    var described: String {
        switch self {
        case .token(_, let name, let role): "token \(name) (role \(role.rawValue))"
        case .unitSystem(let unit): "the \(unit) system"
        }
    }
}
