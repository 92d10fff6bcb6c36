public import AccordModel
import AccordSQLite

extension Store {
    /// Makes this connection refuse every write (`PRAGMA query_only`), for stores opened only to
    /// read next to the node's writer (the HTTPS API's read path). SQLite in WAL mode lets such
    /// readers run in parallel with the writer, each seeing the last committed state.
    public func makeQueryOnly() throws {
        try wrap("make the connection read-only") { try database.execute("PRAGMA query_only = 1") }
    }

    /// Appends several entries to the audit log in one durable transaction (the API's access log
    /// writes in groups, so that one commit covers many requests).
    public func appendAudit(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try wrap("append to the audit log") {
            try database.transaction {
                let statement = try database.prepare(
                    "INSERT INTO audit(at, unit, operator, action, subject, detail, due_at) VALUES(?, ?, ?, ?, ?, ?, ?)")
                for entry in entries {
                    try statement.bind(entry.atMillis, at: 1)
                    try statement.bind(entry.unit, at: 2)
                    try statement.bind(entry.operatorName, at: 3)
                    try statement.bind(entry.action, at: 4)
                    try statement.bind(entry.subject, at: 5)
                    try statement.bind(entry.detail, at: 6)
                    try statement.bind(entry.dueAtMillis, at: 7)
                    try statement.run()
                }
            }
        }
    }
}

extension Store {
    /// How many audit entries there are, optionally of one action.
    public func auditCount(action: String? = nil) throws -> Int {
        try wrap("count audit entries") {
            let statement = try database.prepare("SELECT COUNT(*) FROM audit WHERE (?1 IS NULL OR action = ?1)")
            try statement.bind(action, at: 1)
            return try statement.rows { $0.int(at: 0) }.first ?? 0
        }
    }
}

/// The hot reads of a query-only store (the HTTPS API's read path), with their statements
/// prepared once for the connection's life instead of at every call, and a read transaction
/// spanning several reads (one snapshot, one set of locks). Not `Sendable`: used by one thread
/// at a time, like its store.
public final class StoreReader {
    /// The store read.
    public let store: Store
    private let states: Statement
    private let token: Statement

    /// Prepares the statements on a store's connection (call ``Store/makeQueryOnly()`` first).
    /// - Throws: ``StoreError`` `.database` when SQLite cannot prepare them.
    public init(store: Store) throws {
        self.store = store
        (states, token) = try store.wrap("prepare the read statements") {
            (try store.database.prepare("SELECT author, state FROM record_state WHERE unit = ? AND local_id = ?"),
             try store.database.prepare("SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens WHERE hash = ?"))
        }
    }

    /// Opens a read transaction (`BEGIN`): every read until ``endRead()`` sees the same committed
    /// state and takes the file's locks once. Does nothing when one is open.
    /// - Throws: ``StoreError`` `.database` when SQLite refuses.
    public func beginRead() throws {
        guard !store.database.isInTransaction else { return }
        try store.wrap("begin a read transaction") { try store.database.execute("BEGIN") }
    }

    /// Ends the read transaction, if one is open (a read-only `COMMIT` cannot fail in a way that
    /// loses anything; an error leaves the connection to roll back at its next `BEGIN`).
    public func endRead() {
        guard store.database.isInTransaction else { return }
        if (try? store.database.execute("COMMIT")) == nil { try? store.database.execute("ROLLBACK") }
    }

    /// Every author's state on `record` (as ``Store/recordStates(_:)``).
    public func recordStates(_ record: RecordKey) throws -> [UnitID: RecordState] {
        try store.wrap("read a record") {
            defer { states.reset() }
            try states.bind(record.unit.rawValue, at: 1)
            try states.bind(record.localId, at: 2)
            var result: [UnitID: RecordState] = [:]
            while try states.step() {
                let author = UnitID(unchecked: states.text(at: 0))
                do {
                    result[author] = try states.withBlob(at: 1) { try EntryCodec.decodeRecordState(Array($0)) }
                } catch {
                    throw StoreError(.corrupt, "stored state of \(record) by \(author) does not decode", cause: error)
                }
            }
            return result
        }
    }

    /// The token whose secret has this SHA-256 (as ``Store/token(hash:)``).
    public func token(hash: [UInt8]) throws -> StoredToken? {
        try store.wrap("look up an API token") {
            defer { token.reset() }
            try token.bind(hash, at: 1)
            guard try token.step() else { return nil }
            return StoredToken(id: token.text(at: 0), name: token.text(at: 1), role: token.text(at: 2), createdAtMillis: token.int64(at: 3),
                               createdBy: token.text(at: 4), revokedAtMillis: token.isNull(at: 5) ? nil : token.int64(at: 5))
        }
    }
}
