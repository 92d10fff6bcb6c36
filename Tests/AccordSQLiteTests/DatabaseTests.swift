import AccordSQLite
import Foundation
import Testing

@Suite struct DatabaseTests {
    @Test func openCreateWALUserVersionAndReopen() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/store.sqlite"
            do {
                let db = try Database(path: path)
                #expect(db.path == path)
                try db.execute("PRAGMA journal_mode=WAL")
                #expect(try db.pragma("journal_mode") == "wal")
                #expect(try db.userVersion == 0)
                try db.setUserVersion(42)
                #expect(try db.userVersion == 42)
                try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t(name) VALUES ('a'), ('b');")
                #expect(db.changes == 2)
                #expect(db.lastInsertRowID == 2)
            }
            #expect(FileManager.default.fileExists(atPath: path))
            let reopened = try Database(path: path, mode: .readWrite)
            #expect(try reopened.userVersion == 42)
            #expect(try reopened.pragma("main.journal_mode") == "wal")
            let names = try reopened.prepare("SELECT name FROM t ORDER BY id").rows { $0.text(at: 0) }
            #expect(names == ["a", "b"])
        }
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/ro.sqlite"
            try Database(path: path).execute("CREATE TABLE t(x)")
            let db = try Database(path: path, mode: .readOnly)
            let error = try #require(throws: SQLiteError.self) { try db.execute("INSERT INTO t VALUES (1)") }
            #expect(error.code == .readOnly)
            #expect(error.message.contains("readonly"))
        }
    }

    @Test func userVersionOutOfRangeIsMisuse() throws {
        let db = try Database(path: ":memory:")
        #expect(throws: SQLiteError(code: .misuse, message: "")) { try db.setUserVersion(Int(Int32.max) + 1) }
        try db.setUserVersion(-5)
        #expect(try db.userVersion == -5)
    }

    @Test func pragmaRejectsNonIdentifiers() throws {
        let db = try Database(path: ":memory:")
        #expect(throws: SQLiteError(code: .misuse, message: "")) { try db.pragma("user_version; DROP TABLE x") }
        #expect(try db.pragma("foreign_keys") == "0")
        #expect(try db.pragma("optimize") == nil)
    }

    @Test func missingFileReadOnlyFailsToOpenWithPath() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/absent.sqlite"
            let error = try #require(throws: SQLiteError.self) { try Database(path: path, mode: .readOnly) }
            #expect(error.code == .open)
            #expect(error.path == path)
            #expect(error.message.contains(path))
            #expect(error.message.contains("unable to open database file"))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func directoryPathFailsToOpenWithPath() throws {
        try withTemporaryDirectory { dir in
            let error = try #require(throws: SQLiteError.self) { try Database(path: dir) }
            #expect(error.code == .open)
            #expect(error.path == dir)
            #expect(error.message.contains(dir))
            #expect(error.description.contains(dir))
        }
    }

    @Test func garbageFileIsCorruptWithPath() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/garbage.sqlite"
            let bytes = (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: SQLiteError.self) { try Database(path: path) }
            #expect(error.code == .corrupt)
            #expect(error.resultCode == 26)  // SQLITE_NOTADB
            #expect(error.message.contains("file is not a database"))
            #expect(error.message.contains(path))
        }
    }

    @Test func transactionCommits() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        let result = try db.transaction {
            #expect(db.isInTransaction)
            for value in 1...10 {
                try insert.bind(value, at: 1)
                try insert.run()
            }
            return "done"
        }
        #expect(result == "done")
        #expect(!db.isInTransaction)
        let sum = try db.prepare("SELECT sum(x), count(*) FROM t").rows { [$0.int(at: 0), $0.int(at: 1)] }
        #expect(sum == [[55, 10]])
    }

    @Test func throwingBodyRollsBackAndRethrows() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/tx.sqlite")
            try db.execute("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1);")
            #expect(throws: TestFailure(reason: "boom")) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES (2); UPDATE t SET x = x * 100;")
                    throw TestFailure(reason: "boom")
                }
            }
            #expect(!db.isInTransaction)
            let values = try db.prepare("SELECT x FROM t").rows { $0.int(at: 0) }
            #expect(values == [1])
        }
    }

    @Test func nestedTransactionIsRefusedButSavepointNests() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            let nested = try #require(throws: SQLiteError.self) { try db.transaction { 0 } }
            #expect(nested.code == .transaction)
            #expect(throws: TestFailure(reason: "inner")) {
                try db.savepoint {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw TestFailure(reason: "inner")
                }
            }
            #expect(db.isInTransaction)
            try db.savepoint { try db.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(try db.prepare("SELECT x FROM t ORDER BY x").rows { $0.int(at: 0) } == [1, 3])
    }

    @Test func constraintViolationCarriesSQLiteMessageButNoValues() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE person(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)")
        let insert = try db.prepare("INSERT INTO person(id, email) VALUES (?, ?)")
        try insert.bind(1, at: 1)
        try insert.bind("alice@example.com", at: 2)
        try insert.run()
        try insert.bind(2, at: 1)
        try insert.bind("alice@example.com", at: 2)
        let error = try #require(throws: SQLiteError.self) { try insert.run() }
        #expect(error.code == .constraint)
        #expect(error.resultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error.message.contains("UNIQUE constraint failed: person.email"))
        #expect(error.sql == "INSERT INTO person(id, email) VALUES (?, ?)")
        #expect(!error.description.contains("alice"))
        #expect(!db.isInTransaction)
        // The statement was reset and is usable again.
        try insert.bind(2, at: 1)
        try insert.bind("bob@example.com", at: 2)
        try insert.run()
        #expect(db.lastInsertRowID == 2)
    }

    @Test func prepareErrorsCarrySQLiteMessageAndSQL() throws {
        let db = try Database(path: ":memory:")
        let missing = try #require(throws: SQLiteError.self) { try db.prepare("SELECT * FROM foo") }
        #expect(missing.code == .prepare)
        #expect(missing.message.contains("no such table: foo"))
        #expect(missing.message.contains("SELECT * FROM foo"))
        #expect(missing.sql == "SELECT * FROM foo")
        let syntax = try #require(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(syntax.code == .prepare)
        #expect(syntax.message.contains("syntax error"))
        #expect(syntax.message.contains("SELEC 1"))
        #expect(throws: SQLiteError(code: .prepare, message: "")) { try db.prepare("  -- nothing\n") }
        #expect(throws: SQLiteError(code: .prepare, message: "")) { try db.prepare("SELECT 1; SELECT 2") }
        _ = try db.prepare("SELECT 1; -- trailing comment\n")
        let exec = try #require(throws: SQLiteError.self) { try db.execute("CREATE TABLE (") }
        #expect(exec.code == .exec)
        #expect(exec.message.contains("syntax error"))
    }

    @Test func checkpointTruncateEmptiesTheLog() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/wal.sqlite"
            let db = try Database(path: path)
            try db.execute("PRAGMA journal_mode=WAL; CREATE TABLE t(x BLOB);")
            let insert = try db.prepare("INSERT INTO t VALUES (?)")
            try db.transaction {
                for _ in 0..<500 {
                    try insert.bind([UInt8](repeating: 0xAB, count: 300), at: 1)
                    try insert.run()
                }
            }
            #expect((fileSize(path + "-wal") ?? 0) > 0)
            try db.checkpoint(truncate: false)
            #expect((fileSize(path + "-wal") ?? 0) > 0)
            try db.checkpoint(truncate: true)
            #expect(fileSize(path + "-wal") == 0)
            #expect(try db.prepare("SELECT count(*) FROM t").rows { $0.int(at: 0) } == [500])
        }
    }

    @Test func blobFunctionMergesInSQL() throws {
        let db = try Database(path: ":memory:")
        // Pointwise max of two byte strings; NULL acts as the identity.
        try db.registerBlobFunction(named: "accord_max") { lhs, rhs in
            guard let lhs else { return rhs.map { [UInt8]($0) } }
            guard let rhs else { return [UInt8](lhs) }
            if lhs.count != rhs.count { throw TestFailure(reason: "length mismatch") }
            return zip(lhs, rhs).map { Swift.max($0, $1) }
        }
        let merge = try db.prepare("SELECT accord_max(?, ?)")
        try merge.bind([1, 9, 3], at: 1)
        try merge.bind([4, 2, 6], at: 2)
        #expect(try merge.rows { $0.blob(at: 0) } == [[4, 9, 6]])
        try merge.bindNull(at: 1)
        try merge.bind([7], at: 2)
        #expect(try merge.rows { $0.blob(at: 0) } == [[7]])
        #expect(try merge.rows { $0.isNull(at: 0) } == [true])
        try merge.bind([1], at: 1)
        try merge.bind([1, 2], at: 2)
        let error = try #require(throws: SQLiteError.self) { try merge.rows { $0.blob(at: 0) } }
        #expect(error.code == .step)
        #expect(error.message.contains("accord_max"))
        #expect(error.message.contains("length mismatch"))
    }

    @Test func libraryVersion() {
        #expect(SQLiteLibrary.version.hasPrefix("3."))
        #expect(SQLiteLibrary.versionNumber >= 3_037_000)
    }
}
