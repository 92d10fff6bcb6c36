/// Who is calling, once authenticated.
public enum APIPrincipal: Sendable, Equatable {
    /// A person or tool with a bearer token.
    case token(id: String, name: String, role: APIRole)
    /// A system of this node's unit, presenting the unit's client certificate.
    case unitSystem(unit: String)

    /// What the caller may do. A unit system may do what integrating its own unit needs
    /// (records, consent, interactions, imports, access requests, segments and their exports,
    /// status, metrics), not read the
    /// audit log nor open the dashboard (which is for people).
    public var permissions: Set<APIPermission> {
        switch self {
        case .token(_, _, let role): role.permissions
        case .unitSystem: Set(APIPermission.allCases).subtracting([.readAudit, .reviewMatches, .viewDashboard])
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
