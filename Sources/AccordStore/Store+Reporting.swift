import AccordSQLite

/// Per author, what the store holds of its batches: for the dashboard's freshness and `/metrics`.
public struct AuthorBatches: Equatable, Sendable {
    /// The authoring unit.
    public var author: String
    /// Batches of the author held.
    public var batches: Int
    /// Leaves in them.
    public var leaves: Int
    /// When the newest of them was stored here, milliseconds since 1970.
    public var lastStoredAtMillis: Int64
}

extension Store {
    /// Per author, the batches held and when the newest was stored, in author order.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func batchesByAuthor() throws -> [AuthorBatches] {
        try wrap("count the batches by author") {
            let statement = try database.prepare(
                "SELECT author, COUNT(*), COALESCE(SUM(leaf_count), 0), MAX(stored_at) FROM batches GROUP BY author ORDER BY author")
            return try statement.rows { row in
                AuthorBatches(author: row.text(at: 0), batches: row.int(at: 1), leaves: row.int(at: 2), lastStoredAtMillis: row.int64(at: 3))
            }
        }
    }

    /// The reasons of refused batches with their author (`nil` when the batch did not decode), at
    /// most `limit` of the newest.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func refusalReasons(limit: Int = 100_000) throws -> [(author: String?, reason: String)] {
        try wrap("read the refusal reasons") {
            let statement = try database.prepare("SELECT author, reason FROM rejected_batches ORDER BY id DESC LIMIT ?")
            try statement.bind(limit, at: 1)
            return try statement.rows { row in (author: row.optionalText(at: 0), reason: row.text(at: 1)) }
        }
    }
}
