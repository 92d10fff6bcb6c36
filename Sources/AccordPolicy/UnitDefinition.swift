/// A role a unit plays in the federation.
public enum UnitRole: String, Sendable, CaseIterable {
    /// A business unit that holds and authors customer records.
    case unit
    /// The central governance team: signs the policy, views the federated state.
    case governance
}

/// A signing key a unit used before its current one: it verifies the unit's batches written under
/// policy versions up to ``throughPolicyVersion`` (a batch carries the version it was written under).
public struct RetiredSigningKey: Sendable, Equatable {
    /// The raw 32-byte Ed25519 public key.
    public let key: [UInt8]
    /// The last policy version under which the unit signed with this key.
    public let throughPolicyVersion: Int

    /// Creates a retired key.
    public init(key: [UInt8], throughPolicyVersion: Int) {
        self.key = key
        self.throughPolicyVersion = throughPolicyVersion
    }
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
    /// The unit's Ed25519 public signing key, 32 raw bytes (base64 in the document), if published.
    /// A node accepts batches only from members whose key the policy holds.
    public let signingKey: [UInt8]?
    /// Keys the unit signed with before ``signingKey``, oldest first, each valid through a policy version.
    public let previousSigningKeys: [RetiredSigningKey]
    /// Where the unit's node listens for sync, `host:port`, if the policy says.
    public let endpoint: String?
    /// The identity the unit's TLS certificate must carry: its one SAN URI, `accord://unit/<id>`.
    public let certificateIdentity: String

    /// The certificate identity of a unit id: `accord://unit/<id>`.
    public static func defaultCertificateIdentity(_ id: String) -> String { "accord://unit/" + id }

    /// Creates a unit definition (no validation; `Policy.parse` validates).
    /// - Parameters:
    ///   - id: the unit's id.
    ///   - name: display name.
    ///   - roles: the unit's roles.
    ///   - lineOfBusiness: line of business id, if any.
    ///   - country: ISO alpha-2 country, if any.
    ///   - signingKey: the raw 32-byte Ed25519 public key, if any.
    ///   - previousSigningKeys: keys used before, each with the last policy version it signed under.
    ///   - endpoint: `host:port` of the unit's sync listener, if known.
    ///   - certificateIdentity: the certificate's SAN URI; `accord://unit/<id>` when `nil`.
    public init(
        id: String, name: String, roles: Set<UnitRole>, lineOfBusiness: String? = nil, country: String? = nil,
        signingKey: [UInt8]? = nil, previousSigningKeys: [RetiredSigningKey] = [], endpoint: String? = nil,
        certificateIdentity: String? = nil
    ) {
        self.previousSigningKeys = previousSigningKeys
        self.endpoint = endpoint
        self.certificateIdentity = certificateIdentity ?? Self.defaultCertificateIdentity(id)
        self.id = id
        self.name = name
        self.roles = roles
        self.lineOfBusiness = lineOfBusiness
        self.country = country
        self.signingKey = signingKey
    }

    /// The key that verifies the unit's batches written under `policyVersion`: the retired key
    /// with the lowest ``RetiredSigningKey/throughPolicyVersion`` at or above it, else the current key.
    public func signingKey(forPolicyVersion policyVersion: UInt64) -> [UInt8]? {
        previousSigningKeys.filter { UInt64($0.throughPolicyVersion) >= policyVersion }
            .min { $0.throughPolicyVersion < $1.throughPolicyVersion }?.key ?? signingKey
    }

    /// Whether the unit has the given role.
    /// - Parameter role: the role to test.
    public func has(_ role: UnitRole) -> Bool { roles.contains(role) }
}
