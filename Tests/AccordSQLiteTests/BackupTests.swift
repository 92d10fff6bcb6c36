import AccordSQLite
import Dispatch
import Foundation
import Synchronization
import Testing

@Suite struct BackupTests {
    private static let batchSize = 50

    private static func insertBatch(_ db: Database, _ insert: Statement, tag: Int) throws {
        try db.transaction {
            for n in 0..<batchSize {
                try insert.bind(tag * batchSize + n, at: 1)
                try insert.bind([UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 150), at: 2)
                try insert.run()
            }
        }
    }

    private static func checkCopy(_ path: String) throws -> Int {
        let copy = try Database(path: path, mode: .readOnly)
        #expect(try copy.pragma("integrity_check") == "ok")
        return try copy.prepare("SELECT count(*) FROM t").rows { $0.int(at: 0) }.first ?? -1
    }

    @Test func backupWhileAnotherConnectionWrites() throws {
        try withTemporaryDirectory { dir in
            let source = dir + "/source.sqlite"
            let db = try Database(path: source)
            try db.execute("PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB);")
            let insert = try db.prepare("INSERT INTO t VALUES (?, ?)")
            for tag in 0..<100 { try Self.insertBatch(db, insert, tag: tag) }
            let committed = 100 * Self.batchSize

            let failures = Mutex<[String]>([])
            let group = DispatchGroup()
            let firstBatchCommitted = DispatchSemaphore(value: 0)
            DispatchQueue.global().async(group: group) {
                defer { firstBatchCommitted.signal() }
                do {
                    let writer = try Database(path: source, mode: .readWrite)
                    let insert = try writer.prepare("INSERT INTO t VALUES (?, ?)")
                    for tag in 100..<300 {
                        try Self.insertBatch(writer, insert, tag: tag)
                        if tag == 100 { firstBatchCommitted.signal() }
                    }
                } catch {
                    failures.withLock { $0.append(String(describing: error)) }
                }
            }
            // Start the backup once the writer is running; it keeps writing meanwhile.
            firstBatchCommitted.wait()
            let during = dir + "/during.sqlite"
            try db.backup(toPath: during, pagesPerStep: 1)
            group.wait()
            #expect(failures.withLock { $0 } == [])

            let duringCount = try Self.checkCopy(during)
            #expect(duringCount > committed)
            #expect(duringCount % Self.batchSize == 0)  // a committed state, never half a batch

            let after = dir + "/after.sqlite"
            try db.backup(toPath: after)
            #expect(try Self.checkCopy(after) == 300 * Self.batchSize)
        }
    }

    @Test func backupToUnwritablePathNamesIt() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: ":memory:")
            try db.execute("CREATE TABLE t(x)")
            let target = dir + "/missing-dir/copy.sqlite"
            let error = try #require(throws: SQLiteError.self) { try db.backup(toPath: target) }
            #expect(error.code == .open)
            #expect(error.message.contains(target))
        }
    }
}
