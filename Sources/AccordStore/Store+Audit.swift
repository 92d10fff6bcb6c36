import AccordSQLite

/// One line of the audit log: who did what to whom, when.
public struct AuditEntry: Equatable, Sendable {
    /// When, milliseconds since 1970.
    public var atMillis: Int64
    /// The unit whose node did it.
    public var unit: String
    /// The person or system that asked (`--operator`, `$ACCORD_OPERATOR`, else the login name).
    public var operatorName: String
    /// What: `consent.record`, `policy.install`, `policy.adopt`, `subject.export`, ...
    public var action: String
    /// Whom or what it concerned (a record key, a policy version), if anything.
    public var subject: String?
    /// Details (never customer data beyond the subject's key).
    public var detail: String?
    /// When it is due, for requests with a deadline (access requests), milliseconds since 1970.
    public var dueAtMillis: Int64?

    /// Creates an entry.
    public init(atMillis: Int64, unit: String, operatorName: String, action: String, subject: String? = nil,
                detail: String? = nil, dueAtMillis: Int64? = nil) {
        self.atMillis = atMillis
        self.unit = unit
        self.operatorName = operatorName
        self.action = action
        self.subject = subject
        self.detail = detail
        self.dueAtMillis = dueAtMillis
    }
}

extension Store {
    /// Appends an entry to the audit log (durably; entries can never be changed or removed).
    public func appendAudit(_ entry: AuditEntry) throws {
        try wrap("append to the audit log") {
            try database.transaction {
                let statement = try database.prepare(
                    "INSERT INTO audit(at, unit, operator, action, subject, detail, due_at) VALUES(?, ?, ?, ?, ?, ?, ?)")
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

    /// Audit entries, newest first, optionally only one action, at most `limit`.
    public func auditEntries(action: String? = nil, limit: Int = 100) throws -> [AuditEntry] {
        try wrap("read the audit log") {
            let statement = try database.prepare(
                "SELECT at, unit, operator, action, subject, detail, due_at FROM audit WHERE (?1 IS NULL OR action = ?1) ORDER BY id DESC LIMIT ?2")
            try statement.bind(action, at: 1)
            try statement.bind(limit, at: 2)
            return try statement.rows { row in
                AuditEntry(atMillis: row.int64(at: 0), unit: row.text(at: 1), operatorName: row.text(at: 2), action: row.text(at: 3),
                           subject: row.optionalText(at: 4), detail: row.optionalText(at: 5),
                           dueAtMillis: row.isNull(at: 6) ? nil : row.int64(at: 6))
            }
        }
    }
}
