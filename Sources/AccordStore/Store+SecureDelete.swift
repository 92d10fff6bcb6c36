import AccordSQLite
import Foundation

extension Store {
    /// Takes erased bytes out of the files after an erasure: the store runs with
    /// `secure_delete=ON`, so deleted content is zeroed in the pages it leaves; a store that held
    /// data before it did is vacuumed once (rewriting every page); then the WAL, which still holds
    /// the old page images, is checkpointed into the database and truncated to zero bytes.
    /// - Returns: whether the WAL was truncated; `false` when readers kept it busy (try again later).
    /// - Throws: ``StoreError`` `.database` when SQLite fails otherwise.
    @discardableResult
    public func purgeFreedBytes() throws -> Bool {
        try wrap("purge freed bytes") {
            if try metaExists("erasure:vacuum-needed") {
                try database.execute("VACUUM")
                try database.transaction { try deleteMeta("erasure:vacuum-needed") }
            }
            for attempt in 0..<3 {
                do {
                    try database.checkpoint(truncate: true)
                    if try metaExists("erasure:checkpoint-pending") {
                        try database.transaction { try deleteMeta("erasure:checkpoint-pending") }
                        // Clearing the flag wrote a frame: truncate once more so the WAL ends empty.
                        try database.checkpoint(truncate: true)
                    }
                    return true
                } catch let error as SQLiteError where error.code == .busy && attempt < 2 {
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            return false
        }
    }

    /// Whether an erasure committed since the WAL was last truncated (``purgeFreedBytes()`` is owed).
    public func isPurgePending() throws -> Bool {
        try wrap("read the purge flag") { try metaExists("erasure:checkpoint-pending") || metaExists("erasure:vacuum-needed") }
    }

    func metaExists(_ key: String) throws -> Bool {
        let statement = try database.prepare("SELECT 1 FROM meta WHERE key = ?")
        try statement.bind(key, at: 1)
        return try statement.step()
    }

    func deleteMeta(_ key: String) throws {
        let statement = try database.prepare("DELETE FROM meta WHERE key = ?")
        try statement.bind(key, at: 1)
        try statement.run()
    }
}
