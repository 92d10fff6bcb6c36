internal import CSQLite

/// The Swift closure behind a SQL function; retained by SQLite until the function is
/// replaced or the connection closes.
private final class BlobFunctionBox {
    let name: String
    let body: (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?) throws -> [UInt8]?

    init(name: String, body: @escaping (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?) throws -> [UInt8]?) {
        self.name = name
        self.body = body
    }
}

extension Database {
    /// Registers a deterministic SQL scalar function of two blob arguments that returns a
    /// blob, such as a CRDT merge: `SELECT name(a, b)`.
    ///
    /// `body` receives each argument's bytes without copying (valid only during the call),
    /// or nil for a NULL argument; a non-blob argument is seen as its bytes. It returns the
    /// result blob, or nil for NULL. If it throws, the SQL statement fails with the error's
    /// description, so thrown errors must not carry personal data. The function runs on the
    /// thread that steps the statement, and is registered as deterministic and innocuous.
    /// Registering a name again replaces the function.
    /// - Parameters:
    ///   - name: The SQL function's name.
    ///   - body: The function.
    /// - Throws: `SQLiteError` (code `.misuse` or `.exec`) when SQLite refuses the registration.
    public func registerBlobFunction(
        named name: String,
        _ body: @escaping (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?) throws -> [UInt8]?
    ) throws {
        let box = Unmanaged.passRetained(BlobFunctionBox(name: name, body: body)).toOpaque()
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        // On failure SQLite calls the destructor itself, which releases the box.
        let rc = sqlite3_create_function_v2(
            handle, name, 2, flags, box,
            { context, argumentCount, arguments in
                let box = Unmanaged<BlobFunctionBox>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
                guard argumentCount == 2, let arguments else {
                    sqlite3_result_error(context, "\(box.name): expected 2 arguments", -1)
                    return
                }
                func bytes(_ value: OpaquePointer?) -> UnsafeRawBufferPointer? {
                    guard sqlite3_value_type(value) != SQLITE_NULL else { return nil }
                    let base = sqlite3_value_blob(value)
                    let count = Int(sqlite3_value_bytes(value))
                    return UnsafeRawBufferPointer(start: count > 0 ? base : nil, count: count > 0 ? count : 0)
                }
                do {
                    guard let result = try box.body(bytes(arguments[0]), bytes(arguments[1])) else {
                        sqlite3_result_null(context)
                        return
                    }
                    if result.isEmpty {
                        sqlite3_result_zeroblob(context, 0)
                    } else {
                        result.withUnsafeBytes { buffer in
                            sqlite3_result_blob64(
                                context, buffer.baseAddress, UInt64(buffer.count), accord_sqlite_transient())
                        }
                    }
                } catch {
                    sqlite3_result_error(context, "\(box.name): \(error)", -1)
                }
            },
            nil, nil,
            { pointer in
                if let pointer { Unmanaged<BlobFunctionBox>.fromOpaque(pointer).release() }
            })
        if rc != SQLITE_OK {
            throw SQLiteError.make(
                rc, db: handle, operation: .exec, context: "cannot register SQL function \(name)", sql: nil,
                path: path)
        }
    }
}
