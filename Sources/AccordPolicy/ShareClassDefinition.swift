/// Which units may receive a share class.
public enum Audience: Sendable, Equatable {
    /// Every member of the federation.
    case all
    /// Only the listed units (ids).
    case units(Set<String>)

    /// Whether the audience includes the unit (membership is checked by the policy).
    /// - Parameter unit: a unit id.
    public func includes(_ unit: String) -> Bool {
        switch self {
        case .all: true
        case .units(let ids): ids.contains(unit)
        }
    }
}

/// A share class: a group of attributes replicated together, with the units that may receive it.
public struct ShareClassDefinition: Sendable, Equatable {
    /// The class name, such as `contact`.
    public let name: String
    /// What the class is for; empty when the policy gives none.
    public let description: String
    /// Which units may receive entries of this class.
    public let audience: Audience

    /// Creates a share class definition (no validation; `Policy.parse` validates).
    /// - Parameters:
    ///   - name: class name.
    ///   - description: free text.
    ///   - audience: who may receive it.
    public init(name: String, description: String = "", audience: Audience) {
        self.name = name
        self.description = description
        self.audience = audience
    }
}
