public import AccordStore

/// A bearer token as created: the secret, shown once, and what the node stores about it.
public struct IssuedToken: Sendable {
    /// The token to put in `Authorization: Bearer ...`; the node keeps only its SHA-256.
    public let secret: String
    /// The stored record (id, name, role, ...).
    public let token: StoredToken
}
