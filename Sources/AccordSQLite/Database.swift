internal import CSQLite

/// One SQLite connection (`sqlite3*`), closed with `sqlite3_close_v2` when released.
///
/// Not `Sendable`, by design: the connection is opened with `SQLITE_OPEN_NOMUTEX`,
/// so exactly one owner may use it (and its statements) at a time. The store gives
/// each connection to one actor or serial queue; move it between isolation domains
/// only by handing it over, never by sharing it.
///
/// Statements keep their connection alive, so a `Database` is closed once it and
/// all statements prepared from it are released.
public final class Database {
    /// How to open the database file.
    public struct OpenMode: Sendable {
        let flags: Int32

        /// Read and write, creating the file if it does not exist.
        public static let readWriteCreate = OpenMode(flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        /// Read and write an existing file.
        public static let readWrite = OpenMode(flags: SQLITE_OPEN_READWRITE)
        /// Read an existing file only.
        public static let readOnly = OpenMode(flags: SQLITE_OPEN_READONLY)
    }

    /// The path the database was opened with (`:memory:` for an in-memory database).
    public let path: String
    /// The connection; valid for the life of this object.
    let handle: OpaquePointer

    /// Opens (or creates) a database and checks that it is readable.
    ///
    /// Opens with `SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE`, sets a busy timeout
    /// of 5000 ms, and reads the schema version so that a file which is not a database
    /// fails here rather than on first use.
    /// - Parameters:
    ///   - path: The file path, or `:memory:`.
    ///   - mode: How to open the file; defaults to `.readWriteCreate`.
    /// - Throws: `SQLiteError` with code `.open` (or `.corrupt` for a file that is not
    ///   a database, `.busy`, `.ioError` ...); the message names the path.
    public init(path: String, mode: OpenMode = .readWriteCreate) throws {
        var db: OpaquePointer?
        let flags = mode.flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError.make(
                rc, db: db, operation: .open, context: "cannot open database at \(path)", sql: nil, path: path)
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_busy_timeout(db, 5000)
        let check = sqlite3_exec(db, "PRAGMA schema_version", nil, nil, nil)
        guard check == SQLITE_OK else {
            let error = SQLiteError.make(
                check, db: db, operation: .open, context: "cannot open database at \(path)", sql: nil, path: path)
            sqlite3_close_v2(db)
            throw error
        }
        self.handle = db
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements separated by semicolons (`sqlite3_exec`).
    /// Use it for schema scripts and pragmas; use `prepare(_:)` for anything repeated
    /// or with values.
    /// - Parameter sql: The SQL text.
    /// - Throws: `SQLiteError` with code `.exec` or the result's own class, message with the SQL.
    public func execute(_ sql: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        if rc != SQLITE_OK {
            throw SQLiteError.make(
                rc, db: handle, operation: .exec, context: "cannot execute SQL", sql: sql, path: path)
        }
    }

    /// Compiles one SQL statement (`sqlite3_prepare_v3` with `SQLITE_PREPARE_PERSISTENT`,
    /// meant to be kept and reused).
    /// - Parameter sql: Exactly one statement; a trailing `;` and whitespace are fine.
    /// - Returns: The prepared statement.
    /// - Throws: `SQLiteError` with code `.prepare` when SQLite cannot compile it, when it
    ///   holds no statement or more than one; the message holds SQLite's message and the SQL.
    public func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        var hasMore = false
        let byteCount = sql.utf8.count
        let rc = sql.withCString { cSQL -> Int32 in
            var tail: UnsafePointer<CChar>?
            let length = byteCount < Int32.max ? Int32(byteCount + 1) : -1
            let rc = sqlite3_prepare_v3(
                handle, cSQL, length, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                hasMore = Self.holdsStatement(handle, tail)
            }
            return rc
        }
        guard rc == SQLITE_OK else {
            throw SQLiteError.make(
                rc, db: handle, operation: .prepare, context: "cannot prepare statement", sql: sql, path: path)
        }
        guard let statement else {
            throw SQLiteError(
                code: .prepare, message: "cannot prepare statement: the SQL holds no statement", sql: sql,
                path: path)
        }
        if hasMore {
            sqlite3_finalize(statement)
            throw SQLiteError(
                code: .prepare,
                message: "cannot prepare statement: the SQL holds more than one statement, use execute(_:) "
                    + "(SQL: \(sql))", sql: sql, path: path)
        }
        return Statement(handle: statement, database: self)
    }

    /// Whether `tail` (what follows a compiled statement) holds another statement
    /// (or something that does not compile), as opposed to whitespace and comments.
    private static func holdsStatement(_ db: OpaquePointer, _ tail: UnsafePointer<CChar>) -> Bool {
        var next: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, tail, -1, &next, nil)
        sqlite3_finalize(next)
        return rc != SQLITE_OK || next != nil
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` ... `COMMIT`.
    ///
    /// If `body` throws, the transaction is rolled back and `body`'s error is rethrown.
    /// If `COMMIT` fails, the transaction is rolled back and the commit error is thrown.
    /// Transactions do not nest: calling this inside a transaction throws `.transaction`;
    /// use `savepoint(_:)` for a nested unit of work.
    /// - Parameter body: The work to do; its result is returned after the commit.
    /// - Returns: What `body` returned.
    /// - Throws: `.transaction` when already in a transaction; `body`'s error; an error
    ///   from `BEGIN` or `COMMIT` (code `.busy`, `.full`, `.ioError`, `.transaction` ...).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else {
            throw SQLiteError(
                code: .transaction, message: "cannot begin a transaction: one is already open; use savepoint(_:)",
                path: path)
        }
        try run("BEGIN IMMEDIATE", context: "cannot begin transaction")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIfOpen()
            throw error
        }
        do {
            try run("COMMIT", context: "cannot commit transaction")
        } catch {
            rollbackIfOpen()
            throw error
        }
        return result
    }

    /// Runs `body` inside `SAVEPOINT` ... `RELEASE`, nested in the current transaction
    /// if there is one (else the savepoint begins a deferred transaction of its own).
    ///
    /// If `body` throws, its changes are rolled back to the savepoint and the error
    /// is rethrown; the enclosing transaction stays open.
    /// - Parameter body: The work to do.
    /// - Returns: What `body` returned.
    /// - Throws: `body`'s error, or an error from `SAVEPOINT`/`RELEASE`.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try run("SAVEPOINT accord_savepoint", context: "cannot begin savepoint")
        let result: T
        do {
            result = try body()
        } catch {
            if isInTransaction {
                sqlite3_exec(handle, "ROLLBACK TO accord_savepoint; RELEASE accord_savepoint", nil, nil, nil)
            }
            throw error
        }
        try run("RELEASE accord_savepoint", context: "cannot release savepoint")
        return result
    }

    /// Rolls back the open transaction, if SQLite has not already done so; errors are ignored.
    private func rollbackIfOpen() {
        if isInTransaction {
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
        }
    }

    /// Runs a fixed statement of the transaction protocol; errors get code `.transaction`
    /// unless their result has a class of its own.
    private func run(_ sql: String, context: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        if rc != SQLITE_OK {
            throw SQLiteError.make(rc, db: handle, operation: .transaction, context: context, sql: sql, path: path)
        }
    }

    /// Whether a transaction is open (`!sqlite3_get_autocommit`).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE (`sqlite3_changes64`).
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Total rows changed since the connection opened (`sqlite3_total_changes64`).
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// The rowid of the most recent successful INSERT (`sqlite3_last_insert_rowid`).
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `PRAGMA user_version`, the schema version the application keeps.
    /// - Throws: `SQLiteError` when the pragma cannot be read.
    public var userVersion: Int {
        get throws {
            let statement = try prepare("PRAGMA user_version")
            guard try statement.step() else { return 0 }
            return statement.int(at: 0)
        }
    }

    /// Sets `PRAGMA user_version`.
    /// - Parameter version: The new version; must fit in 32 bits (signed).
    /// - Throws: `.misuse` when out of range, or the error from SQLite.
    public func setUserVersion(_ version: Int) throws {
        guard let value = Int32(exactly: version) else {
            throw SQLiteError(
                code: .misuse, message: "cannot set user_version: the version does not fit in 32 bits", path: path)
        }
        try execute("PRAGMA user_version = \(value)")
    }

    /// Runs `PRAGMA name` and returns the first column of the first row as text.
    /// - Parameter name: The pragma's name, optionally with a schema (`main.journal_mode`);
    ///   letters, digits, `_` and `.` only. To set a pragma, use `execute(_:)`.
    /// - Returns: The value, or nil when the pragma returns no row or NULL.
    /// - Throws: `.misuse` for a name with other characters; errors from SQLite.
    public func pragma(_ name: String) throws -> String? {
        let isIdentifier = !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E
        }
        guard isIdentifier else {
            throw SQLiteError(
                code: .misuse, message: "cannot run pragma: the name is not an identifier", path: path)
        }
        let statement = try prepare("PRAGMA " + name)
        guard try statement.step() else { return nil }
        defer { statement.reset() }
        return statement.optionalText(at: 0)
    }

    /// Checkpoints the write-ahead log (`sqlite3_wal_checkpoint_v2`).
    /// - Parameter truncate: `true` for `SQLITE_CHECKPOINT_TRUNCATE` (waits for readers and
    ///   writers, copies every frame, then truncates the -wal file to zero bytes); `false`
    ///   for `SQLITE_CHECKPOINT_PASSIVE` (copies what it can without waiting).
    /// - Throws: `.busy` when a truncating checkpoint could not finish; other SQLite errors.
    ///   A database not in WAL mode is not an error.
    public func checkpoint(truncate: Bool) throws {
        let mode = truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE
        var logFrames: Int32 = 0
        var checkpointed: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, mode, &logFrames, &checkpointed)
        if rc != SQLITE_OK {
            throw SQLiteError.make(
                rc, db: handle, operation: .exec, context: "cannot checkpoint the write-ahead log", sql: nil,
                path: path)
        }
    }
}
