internal import CSQLite

extension Database {
    /// Copies the whole database (schema `main`) to `destination` with SQLite's online
    /// backup API, while other connections may keep reading and writing.
    ///
    /// Loops `sqlite3_backup_step` until done, sleeping briefly when the source or the
    /// destination is busy or locked. If the source is written by another connection
    /// meanwhile, SQLite restarts the copy, so the result is a consistent snapshot of a
    /// committed state. An existing database at `destination` is overwritten.
    /// - Parameters:
    ///   - destination: The path of the copy.
    ///   - pagesPerStep: Pages copied per step (a negative value copies all at once).
    /// - Throws: `SQLiteError` with code `.open` when the destination cannot be opened,
    ///   else `.backup` (or the result's own class, such as `.full`, `.ioError`); the
    ///   message names the destination.
    public func backup(toPath destination: String, pagesPerStep: Int32 = 1024) throws {
        let target = try Database(path: destination, mode: .readWriteCreate)
        let context = "cannot back up database to \(destination)"
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            let rc = sqlite3_extended_errcode(target.handle)
            throw SQLiteError.make(
                rc, db: target.handle, operation: .backup, context: context, sql: nil, path: path)
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, pagesPerStep)
            let primary = rc & 0xFF
            if primary == SQLITE_BUSY || primary == SQLITE_LOCKED {
                sqlite3_sleep(5)
            }
        } while rc == SQLITE_OK || rc & 0xFF == SQLITE_BUSY || rc & 0xFF == SQLITE_LOCKED
        let stepResult = rc
        let finishResult = sqlite3_backup_finish(backup)
        if stepResult != SQLITE_DONE {
            throw SQLiteError.make(
                stepResult, db: target.handle, operation: .backup, context: context, sql: nil, path: path)
        }
        if finishResult != SQLITE_OK {
            throw SQLiteError.make(
                finishResult, db: target.handle, operation: .backup, context: context, sql: nil, path: path)
        }
    }
}
