import AccordCrypto
import AccordLedger
import AccordModel
import AccordStore
import AccordSQLite
import Foundation
import Testing

@Suite("Store")
struct StoreTests {
    @Test func reopenKeepsEverythingAndStreamsContinue() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/retail.sqlite"
            let key = try Ed25519PrivateKey.generate()
            var digest: SHA256Digest
            var heads: [StreamHead]
            do {
                let author = Author(unit: UnitID(unchecked: "retail"), key: key, store: try Store(path: path))
                try author.store.initialize(unit: author.unit)
                try author.write([("1", "given_name", "Ada"), ("1", "phone", "+4915112345678"), ("2", "given_name", "Grace")])
                digest = try author.store.digest()
                heads = try author.store.streamHeads()
                #expect(heads.map(\.sequence) == [1, 1])
            }
            let reopened = Author(unit: UnitID(unchecked: "retail"), key: key, store: try Store(path: path))
            #expect(reopened.store.unit == UnitID(unchecked: "retail"))
            #expect(try reopened.store.digest() == digest)
            #expect(try reopened.store.streamHeads() == heads)
            let next = try reopened.write([("3", "given_name", "Linus")])
            #expect(next.map(\.header.sequence) == [2])
            #expect(next[0].header.previousHash == heads.first { $0.stream.shareClass == "identity" }?.hash)
            #expect(try reopened.store.integrityCheck() == "ok")
        }
    }

    @Test func clockNeverGoesBackwardsAcrossRestarts() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/retail.sqlite"
            let key = try Ed25519PrivateKey.generate()
            let first = try {
                let author = Author(unit: UnitID(unchecked: "retail"), key: key, store: try Store(path: path))
                try author.store.initialize(unit: author.unit)
                return try author.write([("1", "given_name", "Ada")], now: 5_000_000)[0].header.createdAt
            }()
            let author = Author(unit: UnitID(unchecked: "retail"), key: key, store: try Store(path: path))
            #expect(author.store.clock.last >= first)
            // The wall clock went back an hour: the next reading is still later.
            let second = try author.write([("1", "given_name", "Ada L.")], now: 5_000_000 - 3_600_000)[0].header.createdAt
            #expect(second > first)
        }
    }

    @Test func unchangedValuesAreNotWrittenAgain() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            try author.write([("1", "given_name", "Ada"), ("1", "city", "Berlin")])
            let again = try author.store.commitLocal(
                [PendingWrite(record: RecordKey(unchecked: author.unit, localId: "1"),
                              changes: [(attribute: AttributeName(unchecked: "given_name"), value: .text("Ada"))])],
                shareClass: shareClass, policyVersion: 1, key: author.key, now: 2_000)
            #expect(again.recordsUnchanged == 1 && again.entriesWritten == 0 && again.batches.isEmpty)
            #expect(try author.store.counts().batches == 1)
        }
    }

    @Test func failedCommitLeavesNothingBehind() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            try author.write([("1", "given_name", "Ada")])
            let digest = try author.store.digest()
            let clock = author.store.clock.last
            // "shoe_size" has no share class: the second record fails the whole commit.
            #expect(throws: StoreError(.malformedLeaf, "")) {
                try author.write([("2", "given_name", "Grace"), ("3", "shoe_size", "44")], now: 9_000)
            }
            #expect(try author.store.digest() == digest)
            #expect(author.store.clock.last == clock)
            #expect(try author.store.counts() == StoreCounts(records: 1, recordStates: 1, batches: 1, leaves: 1, rejectedBatches: 0))
        }
    }

    @Test func storeBelongsToOneUnit() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            #expect(throws: StoreError(.wrongUnit, "")) { try author.store.initialize(unit: UnitID(unchecked: "insurance")) }
        }
    }
}

@Suite("Audit log")
struct AuditLogTests {
    @Test func entriesAreKeptAndCanNeverBeChangedOrRemoved() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            try author.store.appendAudit(AuditEntry(atMillis: 10, unit: "retail", operatorName: "ada", action: "consent.record", subject: "retail/C-1"))
            try author.store.appendAudit(AuditEntry(atMillis: 20, unit: "retail", operatorName: "bob", action: "subject.export",
                                                    subject: "retail/C-1", detail: "3 entries", dueAtMillis: 99))
            let entries = try author.store.auditEntries()
            #expect(entries.map(\.action) == ["subject.export", "consent.record"])
            #expect(entries[0].dueAtMillis == 99 && entries[1].dueAtMillis == nil)
            #expect(try author.store.auditEntries(action: "consent.record").map(\.operatorName) == ["ada"])
            // Even with SQL, nobody changes or removes an entry.
            let database = try Database(path: directory + "/retail.sqlite")
            for sql in ["UPDATE audit SET action = 'nothing'", "DELETE FROM audit"] {
                let error = #expect(throws: SQLiteError.self) { try database.execute(sql) }
                #expect(error?.message.contains("append-only") == true)
            }
            #expect(try author.store.auditEntries().count == 2)
        }
    }
}
