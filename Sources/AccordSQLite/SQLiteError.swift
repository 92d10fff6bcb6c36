internal import CSQLite

/// An error reported by SQLite, or by this wrapper while using it.
///
/// `message` holds our context (what we were doing), SQLite's own message
/// (`sqlite3_errmsg` or `sqlite3_errstr`) and, where there is one, the SQL text.
/// Bound values are never part of an error. Two errors are equal when their
/// `code` is equal, so tests can match on the code alone.
public struct SQLiteError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure. A struct over a private enum so that codes can grow.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case open, prepare, bind, step, exec, transaction, backup
            case constraint, busy, corrupt, full, ioError, readOnly, misuse
        }

        private let kind: Kind

        private init(_ kind: Kind) { self.kind = kind }

        /// The database could not be opened (also used for the destination of a backup).
        public static let open = Code(.open)
        /// A statement could not be compiled.
        public static let prepare = Code(.prepare)
        /// A value could not be bound to a statement parameter.
        public static let bind = Code(.bind)
        /// Stepping a prepared statement failed.
        public static let step = Code(.step)
        /// `Database.execute(_:)` failed.
        public static let exec = Code(.exec)
        /// A transaction could not begin, commit or nest.
        public static let transaction = Code(.transaction)
        /// The online backup failed.
        public static let backup = Code(.backup)
        /// A constraint (UNIQUE, NOT NULL, CHECK, FOREIGN KEY ...) was violated.
        public static let constraint = Code(.constraint)
        /// The database was busy or locked beyond the busy timeout.
        public static let busy = Code(.busy)
        /// The file is corrupt or is not a database.
        public static let corrupt = Code(.corrupt)
        /// The disk or the database is full.
        public static let full = Code(.full)
        /// An I/O error occurred.
        public static let ioError = Code(.ioError)
        /// A write was attempted on a read-only database.
        public static let readOnly = Code(.readOnly)
        /// The API was used wrongly (bad argument, bad state).
        public static let misuse = Code(.misuse)

        /// The code's name, such as `constraint`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What was wrong and where: our context, SQLite's message, and the SQL if any.
    public let message: String
    /// SQLite's extended result code (`SQLITE_OK` when the wrapper itself refused).
    public let resultCode: Int32
    /// The SQL text involved, if any (never with bound values).
    public let sql: String?
    /// The database file involved, if known.
    public let path: String?
    /// The source file of the throw site.
    public let file: String
    /// The source line of the throw site.
    public let line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What was wrong and where.
    ///   - resultCode: SQLite's extended result code, or 0.
    ///   - sql: The SQL text involved, if any.
    ///   - path: The database file involved, if any.
    ///   - file: The throw site's file.
    ///   - line: The throw site's line.
    public init(
        code: Code, message: String, resultCode: Int32 = 0, sql: String? = nil, path: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
        self.sql = sql
        self.path = path
        self.file = file
        self.line = line
    }

    /// The message, the code, SQLite's result code and the database path.
    public var description: String {
        var text = "SQLiteError.\(code): \(message) [result code \(resultCode)"
        if let path, !message.contains(path) { text += ", database \(path)" }
        return text + ", at \(file):\(line)]"
    }

    /// Compares the codes only.
    public static func == (lhs: SQLiteError, rhs: SQLiteError) -> Bool { lhs.code == rhs.code }
}

extension SQLiteError.Code {
    /// Maps a SQLite result code to a code: the result's own class where it has
    /// one (constraint, busy, corrupt, full, I/O, read-only, misuse), else `operation`.
    /// - Parameters:
    ///   - resultCode: A primary or extended SQLite result code.
    ///   - operation: The code to use for any other failure.
    /// - Returns: The code for that result.
    public static func forResult(_ resultCode: Int32, operation: SQLiteError.Code) -> SQLiteError.Code {
        switch resultCode & 0xFF {
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_CORRUPT, SQLITE_NOTADB: .corrupt
        case SQLITE_FULL: .full
        case SQLITE_IOERR: .ioError
        case SQLITE_READONLY: .readOnly
        case SQLITE_MISUSE: .misuse
        default: operation
        }
    }
}

extension SQLiteError {
    /// Builds an error from a failed call on connection `db` that returned `resultCode`,
    /// taking SQLite's message from the connection when it describes that failure.
    static func make(
        _ resultCode: Int32, db: OpaquePointer?, operation: Code, context: String, sql: String?, path: String?,
        file: String = #fileID, line: Int = #line
    ) -> SQLiteError {
        var text = context + ": " + sqliteMessage(resultCode, db: db)
        if let sql { text += " (SQL: \(sql))" }
        return SQLiteError(
            code: .forResult(resultCode, operation: operation), message: text, resultCode: resultCode,
            sql: sql, path: path, file: file, line: line)
    }

    /// SQLite's message for `resultCode`: the connection's `sqlite3_errmsg` if its last
    /// error is that code, else the generic `sqlite3_errstr`.
    static func sqliteMessage(_ resultCode: Int32, db: OpaquePointer?) -> String {
        if let db, sqlite3_extended_errcode(db) == resultCode, let cMessage = sqlite3_errmsg(db) {
            return String(cString: cMessage)
        }
        return String(cString: sqlite3_errstr(resultCode))
    }
}
