import AccordModel
import AccordStore
import Foundation
import Testing

@Suite("API tokens, read-only connections and grouped audit entries")
struct TokenStoreTests {
    @Test("tokens are found by hash, listed, revoked once; live names are unique; the hash is all that is stored")
    func tokens() throws {
        try withTemporaryDirectory { directory in
            let store = try Store(path: directory + "/s.sqlite")
            let hash = [UInt8](repeating: 7, count: 32)
            let token = StoredToken(id: "t1", name: "alice", role: "steward", createdAtMillis: 10, createdBy: "ops")
            try store.insertToken(token, hash: hash)
            #expect(try store.token(hash: hash) == token)
            #expect(try store.token(hash: [UInt8](repeating: 8, count: 32)) == nil)
            // A second live token named alice is refused; after revocation the name is free again.
            #expect(throws: StoreError.self) {
                try store.insertToken(StoredToken(id: "t2", name: "alice", role: "viewer", createdAtMillis: 11, createdBy: "ops"),
                                      hash: [UInt8](repeating: 9, count: 32))
            }
            #expect(throws: StoreError.self) {
                try store.insertToken(StoredToken(id: "t3", name: "bob", role: "viewer", createdAtMillis: 11, createdBy: "ops"), hash: hash)
            }
            let revoked = try #require(try store.revokeToken(id: "t1", at: 20))
            #expect(revoked.revokedAtMillis == 20)
            #expect(try store.revokeToken(id: "t1", at: 30)?.revokedAtMillis == 20)
            #expect(try store.revokeToken(id: "nope", at: 30) == nil)
            #expect(try store.token(hash: hash)?.revokedAtMillis == 20)
            try store.insertToken(StoredToken(id: "t4", name: "alice", role: "viewer", createdAtMillis: 40, createdBy: "ops"),
                                  hash: [UInt8](repeating: 10, count: 32))
            #expect(try store.tokens().map(\.id) == ["t1", "t4"])
        }
    }

    @Test("a query-only connection reads what the writer committed and refuses to write")
    func queryOnly() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/s.sqlite"
            let writer = try Store(path: path)
            try writer.initialize(unit: UnitID(unchecked: "retail"))
            let reader = try Store(path: path)
            try reader.makeQueryOnly()
            try writer.appendAudit(AuditEntry(atMillis: 1, unit: "retail", operatorName: "a", action: "x"))
            #expect(try reader.auditEntries().count == 1)
            #expect(throws: StoreError.self) {
                try reader.appendAudit(AuditEntry(atMillis: 2, unit: "retail", operatorName: "a", action: "y"))
            }
            #expect(throws: StoreError.self) {
                try reader.insertToken(StoredToken(id: "t", name: "n", role: "viewer", createdAtMillis: 1, createdBy: "o"), hash: [1])
            }
            #expect(try writer.auditEntries().count == 1)
        }
    }

    @Test("several audit entries are appended in one transaction, in order")
    func groupedAudit() throws {
        try withTemporaryDirectory { directory in
            let store = try Store(path: directory + "/s.sqlite")
            let entries = (0..<5).map { AuditEntry(atMillis: Int64($0), unit: "retail", operatorName: "token:a", action: "api.read", subject: "retail/C-\($0)") }
            try store.appendAudit(entries)
            try store.appendAudit([])
            #expect(try store.auditEntries().map(\.subject) == (0..<5).reversed().map { "retail/C-\($0)" })
            #expect(try store.auditCount() == 5 && store.auditCount(action: "api.read") == 5 && store.auditCount(action: "other") == 0)
        }
    }

    @Test("a StoreReader reads records and tokens with prepared statements, one snapshot per read transaction")
    func storeReader() throws {
        try withTemporaryDirectory { directory in
            let writer = try Author("retail", directory: directory)
            try writer.write([("C-1", "given_name", "Ada")])
            let store = try Store(path: writer.store.path)
            try store.makeQueryOnly()
            let reader = try StoreReader(store: store)
            let key = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "C-1")
            #expect(try reader.recordStates(key) == store.recordStates(key))
            #expect(try reader.recordStates(key).count == 1)
            #expect(try reader.recordStates(RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "C-2")).isEmpty)
            try reader.beginRead()
            #expect(try reader.token(hash: [1]) == nil)
            // A commit by the writer is not seen inside the open read transaction, and is after it.
            try writer.store.insertToken(StoredToken(id: "t", name: "n", role: "viewer", createdAtMillis: 1, createdBy: "o"), hash: [1])
            #expect(try reader.token(hash: [1]) == nil)
            reader.endRead()
            #expect(try reader.token(hash: [1])?.id == "t")
        }
    }
}
