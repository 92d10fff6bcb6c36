import AccordCrypto
import AccordLedger
import AccordModel
import AccordSQLite
import AccordStore
import Foundation
import Testing

/// Every occurrence of `needle` in the node's files (database and WAL), case-insensitively.
func occurrences(of needle: String, inStoreAt path: String) -> [String] {
    let wanted = Array(needle.lowercased().utf8)
    return ["", "-wal"].compactMap { suffix -> String? in
        guard let data = FileManager.default.contents(atPath: path + suffix) else { return nil }
        let bytes = [UInt8](data).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        guard bytes.count >= wanted.count else { return nil }
        for start in 0...(bytes.count - wanted.count) where bytes[start] == wanted[0] && Array(bytes[start..<start + wanted.count]) == wanted {
            return "\(path)\(suffix)@\(start)"
        }
        return nil
    }
}

@Suite("Store: erasure")
struct ErasureStoreTests {
    let ackClass: (AttributeName) -> String? = { $0.rawValue.hasPrefix("erasure:") ? "erasure" : shareClass($0) }

    @Test func eraseRemovesEveryAuthorsEntriesRedactsLeavesAndAcknowledgesAtomically() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let support = try Author("support", directory: directory)
            let written = try retail.write([("C-1", "given_name", "Zelda"), ("C-1", "phone", "+4915199999999"), ("C-2", "given_name", "Other")])
            let fix = try support.store.commitLocal(
                [PendingWrite(record: RecordKey(unchecked: retail.unit, localId: "C-1"),
                              changes: [(attribute: AttributeName(unchecked: "phone"), value: .set(["+4915188888888"]))])],
                shareClass: shareClass, policyVersion: 1, key: support.key, now: 2_000).batches
            for batch in written { _ = try support.store.apply(batch.verified(with: retail.key.publicKey), now: 3) }
            let c1 = RecordKey(unchecked: retail.unit, localId: "C-1")
            #expect(try support.store.recordStates(c1).count == 2)
            let salt = try support.store.tombstoneSalt()
            #expect(salt.count == 16)
            let tombstone = Tombstone(hash: SHA256.hash(salt + Array("r\(c1)".utf8)).bytes, kind: .record, request: "retail/e1", beforeMillis: .max)
            let record = ErasureRequest.record(requester: retail.unit, id: "e1")
            let generation = try support.store.tombstoneGeneration()
            let outcome = try support.store.erase(
                records: [c1], keepEntry: { _, _ in false }, keepLeaf: { name, _ in name == "contact" }, tombstones: [tombstone], now: 5_000,
                acknowledge: ErasureAcknowledging(
                    record: record, make: { outcome in
                        PendingWrite(record: record, changes: [(attribute: ErasureAcknowledgement.attribute, value: .erasureAcknowledgement(
                            ErasureAcknowledgement(erasedAtMillis: 5_000, records: [c1], entriesRemoved: UInt64(outcome.entries),
                                                   leavesRedacted: UInt64(outcome.leaves), holds: ["h"])))])
                    }, shareClass: ackClass, policyVersion: 1, key: support.key))
            // Both authors' entries on C-1 are gone; C-2 is untouched.
            #expect(outcome.entries == 3)
            #expect(try support.store.recordStates(c1).isEmpty)
            #expect(try support.store.recordStates(RecordKey(unchecked: retail.unit, localId: "C-2")).count == 1)
            // Identity leaves of C-1 redacted; the contact leaves were kept (the "hold").
            #expect(outcome.leaves == 1)
            let identity = try support.store.batches(in: StreamID(unchecked: retail.unit, shareClass: "identity"), after: 0)
            _ = try identity[0].verified(with: retail.key.publicKey)
            #expect(identity[0].hash == written.first { $0.stream.shareClass == "identity" }?.hash)
            #expect(identity[0].leaves.filter(\.isRedacted).count == 1)
            #expect(try support.store.batches(in: fix[0].batch.stream, after: 0)[0].leaves.allSatisfy { !$0.isRedacted })
            // The tombstone and the acknowledgement committed with it.
            #expect(try support.store.tombstones() == [tombstone])
            #expect(try support.store.tombstoneGeneration() == generation + 1)
            guard case .erasureAcknowledgement(let ack)? = try support.store.recordState(record, author: support.unit)?
                .register(ErasureAcknowledgement.attribute)?.value else {
                Issue.record("no acknowledgement")
                return
            }
            #expect(ack.entriesRemoved == 3 && ack.leavesRedacted == 1 && ack.holds == ["h"])
            #expect(try support.store.streamHead(StreamID(unchecked: support.unit, shareClass: "erasure")).sequence == 1)
            #expect(try support.store.recordKeys(unit: retail.unit, localIdPrefix: ErasureRequest.localIdPrefix) == [record])
            #expect(try support.store.recordKeys(unit: retail.unit, localIdPrefix: "C-") == [RecordKey(unchecked: retail.unit, localId: "C-2")])
            #expect(try support.store.isPurgePending())
            #expect(try support.store.purgeFreedBytes())
            #expect(try !support.store.isPurgePending())
            #expect(occurrences(of: "ZELDA", inStoreAt: support.store.path).isEmpty)
            #expect(try support.store.integrityCheck() == "ok")
        }
    }

    @Test func noByteOfAnErasedValueRemainsInTheDatabaseOrWAL() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            // Many records so the erased one shares pages with others, and an old value overwritten.
            try retail.write((0..<500).map { ("C-\($0)", "given_name", "Person \($0)") })
            try retail.write([("C-250", "family_name", "Quixotewski-Old"), ("C-250", "city", "Kleinhausen")], now: 2_000)
            try retail.write([("C-250", "family_name", "Quixotewski")], now: 3_000)
            try retail.store.recordRejection(stream: nil, sequence: nil, reason: "test", body: Array("Quixotewski in a garbled body".utf8), now: 4)
            #expect(!occurrences(of: "quixotewski", inStoreAt: retail.store.path).isEmpty, "the value must be there before")
            let record = RecordKey(unchecked: retail.unit, localId: "C-250")
            let outcome = try retail.store.erase(records: [record], keepEntry: { _, _ in false }, keepLeaf: { _, _ in false }, tombstones: [], now: 9)
            #expect(outcome.refusedBodies == 1)
            #expect(try retail.store.purgeFreedBytes())
            for needle in ["Quixotewski", "Kleinhausen", "Person 250"] {
                #expect(occurrences(of: needle, inStoreAt: retail.store.path).isEmpty, "\(needle) is still in the files")
            }
            #expect(!occurrences(of: "Person 251", inStoreAt: retail.store.path).isEmpty, "others stay")
            #expect((try FileManager.default.attributesOfItem(atPath: retail.store.path + "-wal")[.size] as? NSNumber)?.intValue ?? 0 == 0)
        }
    }

    @Test func aStoreThatHeldDataBeforeSecureDeleteIsVacuumedBeforeItsFirstErasure() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/legacy.sqlite"
            // A store written by an earlier build: data present when migration 3 ran, deleted bytes left in free space.
            do {
                let database = try Database(path: path)
                try database.execute("PRAGMA journal_mode=WAL; PRAGMA secure_delete=OFF;")
                try database.execute("""
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE record_state(unit TEXT NOT NULL, local_id TEXT NOT NULL, author TEXT NOT NULL, state BLOB NOT NULL,
                        PRIMARY KEY(unit, local_id, author)) WITHOUT ROWID;
                    CREATE TABLE streams(author TEXT NOT NULL, share_class TEXT NOT NULL, sequence INTEGER NOT NULL, hash BLOB NOT NULL,
                        PRIMARY KEY(author, share_class)) WITHOUT ROWID;
                    CREATE TABLE batches(id INTEGER PRIMARY KEY, author TEXT NOT NULL, share_class TEXT NOT NULL, sequence INTEGER NOT NULL,
                        hash BLOB NOT NULL, leaf_count INTEGER NOT NULL, body BLOB NOT NULL, stored_at INTEGER NOT NULL,
                        UNIQUE(author, share_class, sequence));
                    CREATE TABLE rejected_batches(id INTEGER PRIMARY KEY, author TEXT, share_class TEXT, sequence INTEGER,
                        reason TEXT NOT NULL, rejected_at INTEGER NOT NULL, body BLOB);
                    INSERT INTO record_state VALUES('retail', 'C-1', 'retail', x'00');
                    INSERT INTO meta VALUES('scratch', CAST('Quixotewski left behind' AS BLOB));
                    DELETE FROM meta WHERE key = 'scratch';
                    PRAGMA user_version = 1;
                    """)
                try database.checkpoint(truncate: true)
            }
            #expect(!occurrences(of: "Quixotewski", inStoreAt: path).isEmpty, "deleted without secure_delete: the bytes stay")
            let store = try Store(path: path)
            #expect(try store.isPurgePending())
            #expect(try store.purgeFreedBytes())
            #expect(occurrences(of: "Quixotewski", inStoreAt: path).isEmpty)
            #expect(try !store.isPurgePending())
        }
    }

    @Test func refusedEntriesAreRecordedNewestFirst() throws {
        try withTemporaryDirectory { directory in
            let store = try Author("webshop", directory: directory).store
            let stream = StreamID(unchecked: UnitID(unchecked: "retail"), shareClass: "identity")
            try store.recordRefusedEntries([RefusedEntry(stream: stream, sequence: 4, leaf: 0, reason: "record erased", refusedAtMillis: 1),
                                            RefusedEntry(stream: stream, sequence: 4, leaf: 2, reason: "past retention", refusedAtMillis: 1)])
            #expect(try store.refusedEntries().map(\.leaf) == [2, 0])
            #expect(try store.refusedEntryCount() == 2)
        }
    }
}
