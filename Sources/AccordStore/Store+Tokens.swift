import AccordSQLite

/// A bearer token of the HTTPS API as stored: never the token itself, only its SHA-256.
public struct StoredToken: Equatable, Sendable {
    /// The token's public id (shown in lists, used to revoke it).
    public var id: String
    /// Who or what the token is for.
    public var name: String
    /// The role it grants (`viewer`, `steward`, `admin`).
    public var role: String
    /// When it was created, milliseconds since 1970.
    public var createdAtMillis: Int64
    /// Who created it.
    public var createdBy: String
    /// When it was revoked, if it was.
    public var revokedAtMillis: Int64?

    /// Creates a token record.
    public init(id: String, name: String, role: String, createdAtMillis: Int64, createdBy: String, revokedAtMillis: Int64? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAtMillis = createdAtMillis
        self.createdBy = createdBy
        self.revokedAtMillis = revokedAtMillis
    }
}

extension Store {
    /// Stores a new token by the SHA-256 of its secret.
    /// - Throws: ``StoreError`` `.database` when the id, the hash or (among live tokens) the name exists already.
    public func insertToken(_ token: StoredToken, hash: [UInt8]) throws {
        try wrap("store an API token") {
            try database.transaction {
                let statement = try database.prepare(
                    "INSERT INTO api_tokens(id, hash, name, role, created_at, created_by, revoked_at) VALUES(?, ?, ?, ?, ?, ?, ?)")
                try statement.bind(token.id, at: 1)
                try statement.bind(hash, at: 2)
                try statement.bind(token.name, at: 3)
                try statement.bind(token.role, at: 4)
                try statement.bind(token.createdAtMillis, at: 5)
                try statement.bind(token.createdBy, at: 6)
                try statement.bind(token.revokedAtMillis, at: 7)
                try statement.run()
            }
        }
    }

    /// The token whose secret has this SHA-256, revoked or not; `nil` when there is none.
    public func token(hash: [UInt8]) throws -> StoredToken? {
        try wrap("look up an API token") {
            let statement = try database.prepare(
                "SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens WHERE hash = ?")
            try statement.bind(hash, at: 1)
            return try statement.rows(Self.storedToken).first
        }
    }

    /// Every token, oldest first.
    public func tokens() throws -> [StoredToken] {
        try wrap("list API tokens") {
            let statement = try database.prepare(
                "SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY created_at, id")
            return try statement.rows(Self.storedToken)
        }
    }

    /// Revokes a live token by its id; revoking twice changes nothing.
    /// - Returns: the token as stored now, or `nil` when no token has this id.
    public func revokeToken(id: String, at millis: Int64) throws -> StoredToken? {
        try wrap("revoke an API token") {
            try database.transaction {
                let statement = try database.prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                try statement.bind(millis, at: 1)
                try statement.bind(id, at: 2)
                try statement.run()
                let read = try database.prepare("SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens WHERE id = ?")
                try read.bind(id, at: 1)
                return try read.rows(Self.storedToken).first
            }
        }
    }

    private static func storedToken(_ row: Statement) throws -> StoredToken {
        StoredToken(id: row.text(at: 0), name: row.text(at: 1), role: row.text(at: 2), createdAtMillis: row.int64(at: 3),
                    createdBy: row.text(at: 4), revokedAtMillis: row.isNull(at: 5) ? nil : row.int64(at: 5))
    }
}
