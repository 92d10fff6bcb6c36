/// A role a unit plays in the federation.
public enum UnitRole: String, Sendable, CaseIterable {
    /// A business unit that holds and authors customer records.
    case unit
    /// The central governance team: signs the policy, views the federated state.
    case governance
}

/// A member of the federation, as the policy defines it.
public struct UnitDefinition: Sendable, Equatable {
    /// The unit's id, such as `retail`.
    public let id: String
    /// Human-readable name; the id when the policy gives none.
    public let name: String
    /// The unit's roles; never empty.
    public let roles: Set<UnitRole>
    /// The line of business the unit belongs to (an id), if any.
    public let lineOfBusiness: String?
    /// ISO 3166-1 alpha-2 country of the unit, if any.
    public let country: String?

    /// Creates a unit definition (no validation; `Policy.parse` validates).
    /// - Parameters:
    ///   - id: the unit's id.
    ///   - name: display name.
    ///   - roles: the unit's roles.
    ///   - lineOfBusiness: line of business id, if any.
    ///   - country: ISO alpha-2 country, if any.
    public init(id: String, name: String, roles: Set<UnitRole>, lineOfBusiness: String? = nil, country: String? = nil) {
        self.id = id
        self.name = name
        self.roles = roles
        self.lineOfBusiness = lineOfBusiness
        self.country = country
    }

    /// Whether the unit has the given role.
    /// - Parameter role: the role to test.
    public func has(_ role: UnitRole) -> Bool { roles.contains(role) }
}
