internal import CSQLite

/// Facts about the SQLite library this process links.
public enum SQLiteLibrary {
    /// The library's version, such as "3.40.1" (`sqlite3_libversion`).
    public static var version: String { String(cString: sqlite3_libversion()) }

    /// The library's version as a number, such as 3040001 (`sqlite3_libversion_number`).
    public static var versionNumber: Int { Int(sqlite3_libversion_number()) }
}
