internal import CSQLite

/// A prepared statement (`sqlite3_stmt*`), finalized when released.
///
/// Indexes follow SQLite: parameters are **1-based** (`bind(_:at:)`, the first `?` is 1),
/// result columns are **0-based** (`int64(at:)`, the first column is 0).
///
/// Like its `Database`, a statement is not `Sendable`: use it from the connection's owner
/// only. It keeps its connection alive. A statement stepped to a row but not to the end
/// holds a read transaction open: call `reset()` (or use `run()` / `rows(_:)`, which reset).
///
/// Reading a column whose index is out of range, or when no row is available, is a
/// programming error (checked in debug builds).
public final class Statement {
    /// The statement.
    let handle: OpaquePointer
    /// The owning connection (`sqlite3_db_handle`), for its error messages.
    let connection: OpaquePointer
    /// The owning database, kept alive as long as the statement.
    let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.connection = sqlite3_db_handle(handle)
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The statement's SQL text as prepared (without bound values).
    public var sql: String { String(cString: sqlite3_sql(handle)) }

    /// The number of parameters (the largest parameter index).
    public var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

    /// The number of columns in a result row (0 for statements that return no data).
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    // MARK: Binding (1-based)

    /// Binds a 64-bit integer to parameter `index` (1-based).
    /// - Throws: `.bind` when the index is out of range or the statement is busy.
    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value), index)
    }

    /// Binds an integer to parameter `index` (1-based).
    /// - Throws: `.bind` when the index is out of range or the statement is busy.
    public func bind(_ value: Int, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(value)), index)
    }

    /// Binds a double to parameter `index` (1-based).
    /// - Throws: `.bind` when the index is out of range or the statement is busy.
    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value), index)
    }

    /// Binds text to parameter `index` (1-based); SQLite copies it (`SQLITE_TRANSIENT`).
    /// The empty string binds empty text, not NULL.
    /// - Throws: `.bind` when the index is out of range, the text is too big, or the statement is busy.
    public func bind(_ value: String, at index: Int32) throws {
        let byteCount = UInt64(value.utf8.count)
        let rc = value.withCString { text in
            sqlite3_bind_text64(handle, index, text, byteCount, accord_sqlite_transient(), UInt8(SQLITE_UTF8))
        }
        try check(rc, index)
    }

    /// Binds a blob to parameter `index` (1-based); SQLite copies it. An empty array
    /// binds a zero-length blob, not NULL.
    /// - Throws: `.bind` when the index is out of range, the blob is too big, or the statement is busy.
    public func bind(_ value: [UInt8], at index: Int32) throws {
        try value.withUnsafeBytes { try bind($0, at: index) }
    }

    /// Binds the bytes of `buffer` as a blob to parameter `index` (1-based); SQLite copies
    /// them. An empty buffer binds a zero-length blob, not NULL.
    /// - Throws: `.bind` when the index is out of range, the blob is too big, or the statement is busy.
    public func bind(_ buffer: UnsafeRawBufferPointer, at index: Int32) throws {
        let rc: Int32
        if let base = buffer.baseAddress, buffer.count > 0 {
            rc = sqlite3_bind_blob64(handle, index, base, UInt64(buffer.count), accord_sqlite_transient())
        } else {
            rc = sqlite3_bind_zeroblob(handle, index, 0)
        }
        try check(rc, index)
    }

    /// Binds NULL to parameter `index` (1-based).
    /// - Throws: `.bind` when the index is out of range or the statement is busy.
    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index), index)
    }

    /// Binds text, or NULL for nil, to parameter `index` (1-based).
    /// - Throws: `.bind` as for the non-optional form.
    public func bind(_ value: String?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Binds a blob, or NULL for nil, to parameter `index` (1-based).
    /// - Throws: `.bind` as for the non-optional form.
    public func bind(_ value: [UInt8]?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Binds a 64-bit integer, or NULL for nil, to parameter `index` (1-based).
    /// - Throws: `.bind` as for the non-optional form.
    public func bind(_ value: Int64?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Binds an integer, or NULL for nil, to parameter `index` (1-based).
    /// - Throws: `.bind` as for the non-optional form.
    public func bind(_ value: Int?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Binds a double, or NULL for nil, to parameter `index` (1-based).
    /// - Throws: `.bind` as for the non-optional form.
    public func bind(_ value: Double?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    @inline(__always)
    private func check(_ resultCode: Int32, _ index: Int32) throws {
        if resultCode != SQLITE_OK { throw bindError(resultCode, index) }
    }

    @inline(never)
    private func bindError(_ resultCode: Int32, _ index: Int32) -> SQLiteError {
        SQLiteError.make(
            resultCode, db: connection, operation: .bind, context: "cannot bind parameter \(index)", sql: sql,
            path: database.path)
    }

    // MARK: Execution

    /// Advances to the next result row (`sqlite3_step`).
    ///
    /// On failure the statement is reset (its bindings kept), so it can be reused.
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    /// - Throws: `SQLiteError` with SQLite's message from the owning connection and the SQL;
    ///   code `.constraint`, `.busy`, `.corrupt`, `.full`, `.ioError`, `.readOnly`, `.misuse`
    ///   by the result, else `.step`.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw stepError(rc)
    }

    @inline(never)
    private func stepError(_ resultCode: Int32) -> SQLiteError {
        let error = SQLiteError.make(
            resultCode, db: connection, operation: .step, context: "cannot step statement", sql: sql,
            path: database.path)
        sqlite3_reset(handle)
        return error
    }

    /// Resets the statement to run again and clears its bindings to NULL
    /// (`sqlite3_reset` + `sqlite3_clear_bindings`). Never throws: an error of the last
    /// step was already thrown by `step()`.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Steps until done, then resets (for INSERT, UPDATE, DELETE and DDL). Rows are discarded.
    /// - Throws: The error of `step()`; the statement is reset either way.
    public func run() throws {
        defer { reset() }
        while try step() {}
    }

    /// Runs the query and maps each row, then resets the statement (also on error).
    /// - Parameter transform: Reads one row from the statement (do not step it).
    /// - Returns: The mapped rows, in order.
    /// - Throws: The error of `step()` or of `transform`.
    public func rows<R>(_ transform: (Statement) throws -> R) throws -> [R] {
        defer { reset() }
        var result: [R] = []
        while try step() {
            result.append(try transform(self))
        }
        return result
    }

    // MARK: Columns (0-based)

    /// The integer value of column `column` (0-based); 0 for NULL.
    public func int64(at column: Int32) -> Int64 {
        assertColumn(column)
        return sqlite3_column_int64(handle, column)
    }

    /// The integer value of column `column` (0-based); 0 for NULL.
    public func int(at column: Int32) -> Int {
        assertColumn(column)
        return Int(sqlite3_column_int64(handle, column))
    }

    /// The integer value of column `column` (0-based), or nil for NULL.
    public func optionalInt64(at column: Int32) -> Int64? {
        isNull(at: column) ? nil : sqlite3_column_int64(handle, column)
    }

    /// The floating-point value of column `column` (0-based); 0 for NULL.
    public func double(at column: Int32) -> Double {
        assertColumn(column)
        return sqlite3_column_double(handle, column)
    }

    /// The text of column `column` (0-based), decoded as UTF-8 (invalid bytes become
    /// U+FFFD); "" for NULL.
    public func text(at column: Int32) -> String {
        assertColumn(column)
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The text of column `column` (0-based), or nil for NULL.
    public func optionalText(at column: Int32) -> String? {
        isNull(at: column) ? nil : text(at: column)
    }

    /// A copy of the blob in column `column` (0-based); empty for NULL.
    public func blob(at column: Int32) -> [UInt8] {
        withBlob(at: column) { [UInt8]($0) }
    }

    /// A copy of the blob in column `column` (0-based), or nil for NULL
    /// (a zero-length blob is `[]`, not nil).
    public func optionalBlob(at column: Int32) -> [UInt8]? {
        isNull(at: column) ? nil : blob(at: column)
    }

    /// Lends the bytes of column `column` (0-based) without copying. The buffer is valid
    /// only inside `body` (and only until the statement is stepped or reset); it is empty
    /// for NULL and for a zero-length blob.
    /// - Parameter body: Reads the bytes.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` throws.
    public func withBlob<R>(at column: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        assertColumn(column)
        let bytes = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let bytes, count > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Whether column `column` (0-based) is NULL.
    public func isNull(at column: Int32) -> Bool {
        assertColumn(column)
        return sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    @inline(__always)
    private func assertColumn(_ column: Int32) {
        assert(column >= 0 && column < sqlite3_column_count(handle), "column index out of range")
    }
}
