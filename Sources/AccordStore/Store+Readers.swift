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
