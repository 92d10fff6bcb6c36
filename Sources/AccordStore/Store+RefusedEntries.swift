public import AccordLedger
import AccordModel
import AccordSQLite

/// A leaf the node stored redacted and did not apply: the entries of an erased person arriving
/// late, or entries past their retention. The batch itself was applied, so its stream goes on.
public struct RefusedEntry: Equatable, Sendable {
    /// The batch's stream.
    public var stream: StreamID
    /// The batch's sequence number.
    public var sequence: UInt64
    /// The leaf's position in the batch.
    public var leaf: Int
    /// Why it was refused (never its content).
    public var reason: String
    /// When, milliseconds since 1970.
    public var refusedAtMillis: Int64

    /// Creates a record of a refused leaf.
    public init(stream: StreamID, sequence: UInt64, leaf: Int, reason: String, refusedAtMillis: Int64) {
        self.stream = stream
        self.sequence = sequence
        self.leaf = leaf
        self.reason = reason
        self.refusedAtMillis = refusedAtMillis
    }
}

extension Store {
    /// Records refused leaves of one batch, with their reasons.
    public func recordRefusedEntries(_ entries: [RefusedEntry]) throws {
        guard !entries.isEmpty else { return }
        try wrap("record refused entries") {
            try database.transaction {
                let insert = try database.prepare(
                    "INSERT INTO refused_entries(author, share_class, sequence, leaf, reason, refused_at) VALUES(?, ?, ?, ?, ?, ?)")
                for entry in entries {
                    try insert.bind(entry.stream.author.rawValue, at: 1)
                    try insert.bind(entry.stream.shareClass, at: 2)
                    try insert.bind(Int64(entry.sequence), at: 3)
                    try insert.bind(entry.leaf, at: 4)
                    try insert.bind(entry.reason, at: 5)
                    try insert.bind(entry.refusedAtMillis, at: 6)
                    try insert.run()
                }
            }
        }
    }

    /// The most recent refused leaves, newest first.
    public func refusedEntries(limit: Int = 100) throws -> [RefusedEntry] {
        try wrap("read refused entries") {
            let statement = try database.prepare(
                "SELECT author, share_class, sequence, leaf, reason, refused_at FROM refused_entries ORDER BY id DESC LIMIT ?")
            try statement.bind(limit, at: 1)
            return try statement.rows { row in
                RefusedEntry(stream: StreamID(unchecked: UnitID(unchecked: row.text(at: 0)), shareClass: row.text(at: 1)),
                             sequence: UInt64(row.int64(at: 2)), leaf: row.int(at: 3), reason: row.text(at: 4), refusedAtMillis: row.int64(at: 5))
            }
        }
    }

    /// How many refused leaves are recorded.
    public func refusedEntryCount() throws -> Int {
        try wrap("count refused entries") {
            let statement = try database.prepare("SELECT COUNT(*) FROM refused_entries")
            _ = try statement.step()
            return statement.int(at: 0)
        }
    }
}

extension Store {
    /// The bodies kept of refused batches, newest first (for inspection; leaves of erased people
    /// are redacted in them).
    public func rejectedBodies(limit: Int = 100) throws -> [[UInt8]] {
        try wrap("read refused batch bodies") {
            let statement = try database.prepare("SELECT body FROM rejected_batches WHERE body IS NOT NULL ORDER BY id DESC LIMIT ?")
            try statement.bind(limit, at: 1)
            return try statement.rows { $0.blob(at: 0) }
        }
    }
}
