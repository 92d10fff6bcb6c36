import AccordSQLite
import Testing

@Suite struct StatementTests {
    private func makeDatabase() throws -> Database {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE v(id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB)")
        return db
    }

    @Test func bindsAndReadsEveryType() throws {
        let db = try makeDatabase()
        let insert = try db.prepare("INSERT INTO v(id, i, r, s, b) VALUES (?, ?, ?, ?, ?)")
        #expect(insert.parameterCount == 5)
        #expect(insert.columnCount == 0)
        let unicode = "Zoë 👩🏽‍💻 naïve 日本 🇨🇭!"
        let bytes = (0...255).map { UInt8($0) }

        try insert.bind(1, at: 1)
        try insert.bind(Int64.min, at: 2)
        try insert.bind(-1.5, at: 3)
        try insert.bind(unicode, at: 4)
        try insert.bind(bytes, at: 5)
        try insert.run()

        try insert.bind(Int64(2), at: 1)
        try insert.bind(Int64.max, at: 2)
        try insert.bind(Double.greatestFiniteMagnitude, at: 3)
        try insert.bind("", at: 4)
        try insert.bind([UInt8](), at: 5)
        try insert.run()

        try insert.bind(3, at: 1)
        try insert.bindNull(at: 2)
        try insert.bind(nil as Double?, at: 3)
        try insert.bind(nil as String?, at: 4)
        try insert.bind(nil as [UInt8]?, at: 5)
        try insert.run()

        try insert.bind(4 as Int64?, at: 1)
        try insert.bind(Int?(0), at: 2)
        try insert.bind(Double?(0.25), at: 3)
        try insert.bind(String?("a\u{0}b"), at: 4)
        try [UInt8](repeating: 0, count: 3).withUnsafeBytes { try insert.bind($0, at: 5) }
        try insert.run()

        let select = try db.prepare("SELECT id, i, r, s, b, typeof(s), typeof(b), length(b) FROM v ORDER BY id")
        #expect(select.columnCount == 8)
        struct Row: Equatable {
            var i: Int64?, r: Double, s: String?, b: [UInt8]?, types: String, length: Int64?
        }
        let rows = try select.rows { row in
            Row(
                i: row.optionalInt64(at: 1), r: row.double(at: 2), s: row.optionalText(at: 3),
                b: row.optionalBlob(at: 4), types: row.text(at: 5) + "/" + row.text(at: 6),
                length: row.optionalInt64(at: 7))
        }
        #expect(rows.count == 4)
        #expect(rows[0] == Row(i: Int64.min, r: -1.5, s: unicode, b: bytes, types: "text/blob", length: 256))
        #expect(rows[1] == Row(i: Int64.max, r: .greatestFiniteMagnitude, s: "", b: [], types: "text/blob", length: 0))
        #expect(rows[2] == Row(i: nil, r: 0, s: nil, b: nil, types: "null/null", length: nil))
        #expect(rows[3] == Row(i: 0, r: 0.25, s: "a\u{0}b", b: [0, 0, 0], types: "text/blob", length: 3))

        // NULL columns read as defaults through the non-optional accessors.
        let nulls = try db.prepare("SELECT i, r, s, b FROM v WHERE id = 3")
        #expect(try nulls.step())
        #expect(nulls.isNull(at: 0) && nulls.isNull(at: 3))
        #expect(nulls.int64(at: 0) == 0 && nulls.int(at: 0) == 0 && nulls.double(at: 1) == 0)
        #expect(nulls.text(at: 2) == "" && nulls.blob(at: 3) == [])
        #expect(try !nulls.step())
        nulls.reset()
    }

    @Test func withBlobLendsTheBytes() throws {
        let db = try makeDatabase()
        let insert = try db.prepare("INSERT INTO v(b) VALUES (?)")
        try insert.bind([10, 20, 30], at: 1)
        try insert.run()
        let select = try db.prepare("SELECT b, NULL FROM v")
        #expect(try select.step())
        let sum = select.withBlob(at: 0) { $0.reduce(0) { $0 + Int($1) } }
        #expect(sum == 60)
        #expect(select.withBlob(at: 1) { $0.count } == 0)
        #expect(throws: TestFailure(reason: "x")) {
            try select.withBlob(at: 0) { _ in throw TestFailure(reason: "x") }
        }
        select.reset()
    }

    @Test func resetClearsBindings() throws {
        let db = try makeDatabase()
        let insert = try db.prepare("INSERT INTO v(i, s) VALUES (?, ?)")
        try insert.bind(7, at: 1)
        try insert.bind("kept?", at: 2)
        insert.reset()
        try insert.run()
        let row = try db.prepare("SELECT i IS NULL, s IS NULL FROM v").rows { [$0.int(at: 0), $0.int(at: 1)] }
        #expect(row == [[1, 1]])
    }

    @Test func bindOutOfRangeIsBindError() throws {
        let db = try makeDatabase()
        let insert = try db.prepare("INSERT INTO v(i) VALUES (?)")
        let error = try #require(throws: SQLiteError.self) { try insert.bind("secret", at: 2) }
        #expect(error.code == .bind)
        #expect(error.resultCode == 25)  // SQLITE_RANGE
        #expect(error.message.contains("parameter 2"))
        #expect(error.message.contains("INSERT INTO v(i) VALUES (?)"))
        #expect(!error.description.contains("secret"))
        #expect(throws: SQLiteError(code: .bind, message: "")) { try insert.bindNull(at: 0) }
    }

    @Test func rowsResetsSoTheQueryRunsAgain() throws {
        let db = try makeDatabase()
        try db.execute("INSERT INTO v(i) VALUES (1), (2), (3)")
        let select = try db.prepare("SELECT i FROM v WHERE i >= ? ORDER BY i")
        try select.bind(2, at: 1)
        #expect(try select.rows { $0.int(at: 0) } == [2, 3])
        // rows(_:) cleared the binding: NULL matches nothing.
        #expect(try select.rows { $0.int(at: 0) } == [])
        try select.bind(1, at: 1)
        #expect(throws: TestFailure(reason: "stop")) {
            try select.rows { _ in throw TestFailure(reason: "stop") }
        }
        try select.bind(3, at: 1)
        #expect(try select.rows { $0.int(at: 0) } == [3])
        #expect(select.sql == "SELECT i FROM v WHERE i >= ? ORDER BY i")
    }

    @Test func statementOutlivesItsDatabaseReference() throws {
        var db: Database? = try makeDatabase()
        let insert = try db!.prepare("INSERT INTO v(i) VALUES (?)")
        db = nil
        try insert.bind(5, at: 1)
        try insert.run()
    }
}
