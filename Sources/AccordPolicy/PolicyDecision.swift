/// The outcome of a governance check: allowed, or denied with a reason that a
/// rejected batch records and the dashboard shows.
public enum PolicyDecision: Sendable, Equatable {
    /// The action is allowed.
    case allowed
    /// The action is denied; `reason` says why, naming the rule and the policy version.
    case denied(reason: String)

    /// Whether the decision is `.allowed`.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
