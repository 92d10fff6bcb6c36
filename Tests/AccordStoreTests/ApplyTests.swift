import AccordCrypto
import AccordLedger
import AccordModel
import AccordSampleData
import AccordStore
import Foundation
import Testing

@Suite("Applying batches")
struct ApplyTests {
    @Test func applyingTwiceIsANoOp() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let insurance = try Author("insurance", directory: directory)
            let batches = try retail.write([("1", "given_name", "Ada"), ("1", "phone", "+4915112345678")])
            for batch in batches {
                #expect(try insurance.store.apply(batch.verified(with: retail.key.publicKey), now: 1) == .applied(recordsChanged: 1))
            }
            let digest = try insurance.store.digest()
            for batch in batches {
                #expect(try insurance.store.apply(batch.verified(with: retail.key.publicKey), now: 2) == .duplicate)
            }
            #expect(try insurance.store.digest() == digest)
            #expect(digest == (try retail.store.digest()))
        }
    }

    @Test func gapForkAndBrokenLinkAreRefused() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let insurance = try Author("insurance", directory: directory)
            let batches = try retail.write((0..<6).map { ("\($0)", "given_name", "Name \($0)") }, maxLeaves: 2)
            #expect(batches.count == 3)
            let verified = try batches.map { try $0.verified(with: retail.key.publicKey) }
            // Sequence 2 before 1: a gap.
            #expect(throws: StoreError(.gap, "")) { try insurance.store.apply(verified[1], now: 1) }
            #expect(try insurance.store.counts().batches == 0)
            _ = try insurance.store.apply(verified[0], now: 1)
            // A different batch with sequence 1: a fork, signed by the real key.
            let forked = try BatchSealer().seal(
                [EntryCodec.encode(try RecordWrite(record: RecordKey(unchecked: retail.unit, localId: "x"), hlc: HLC(rawValue: 99),
                                                   changes: [(attribute: AttributeName(unchecked: "given_name"), value: .text("Eve"))]))],
                continuing: .empty(verified[0].batch.stream), policyVersion: 1, createdAt: HLC(rawValue: 99), key: retail.key)
            #expect(throws: StoreError(.fork, "")) { try insurance.store.apply(forked[0], now: 1) }
            // Sequence 2 that links elsewhere.
            let unlinked = try BatchSealer().seal(
                [EntryCodec.encode(try RecordWrite(record: RecordKey(unchecked: retail.unit, localId: "y"), hlc: HLC(rawValue: 99),
                                                   changes: [(attribute: AttributeName(unchecked: "given_name"), value: .text("Eve"))]))],
                continuing: StreamHead(stream: verified[0].batch.stream, sequence: 1, hash: [UInt8](repeating: 7, count: 32)),
                policyVersion: 1, createdAt: HLC(rawValue: 99), key: retail.key)
            #expect(throws: StoreError(.brokenLink, "")) { try insurance.store.apply(unlinked[0], now: 1) }
            #expect(try insurance.store.counts().batches == 1)
            #expect(try insurance.store.recordState(RecordKey(unchecked: retail.unit, localId: "x"), author: retail.unit) == nil)
        }
    }

    @Test func rejectionsAreRecordedWithTheirReason() throws {
        try withTemporaryDirectory { directory in
            let store = try Author("insurance", directory: directory).store
            let stream = StreamID(unchecked: UnitID(unchecked: "retail"), shareClass: "identity")
            try store.recordRejection(stream: stream, sequence: 4, reason: "gap: stream stands at 2", body: [1, 2, 3], now: 77)
            let rejected = try store.rejectedBatches()
            #expect(rejected == [RejectedBatch(stream: stream, sequence: 4, reason: "gap: stream stands at 2", rejectedAtMillis: 77)])
            #expect(try store.counts().rejectedBatches == 1)
        }
    }

    /// Batches of several streams delivered in random order, with duplicates and losses that are
    /// re-delivered later: every replica ends with the same digest as the authors' union.
    @Test(arguments: 0..<12)
    func replicasConvergeUnderAnyDeliveryOrder(seed: UInt64) throws {
        try withTemporaryDirectory { directory in
            var random = SeededGenerator(seed: seed)
            let authors = try ["retail", "insurance", "support"].map { try Author($0, directory: directory) }
            var all: [VerifiedBatch] = []
            for (index, author) in authors.enumerated() {
                for round in 0..<3 {
                    let values = (0..<Int(random.next() % 5 + 1)).map { item in
                        ("\(item % 3)", ["given_name", "phone", "city"][Int(random.next() % 3)], "v\(index)-\(round)-\(item)")
                    }
                    all += try author.write(values, now: 1_000 + UInt64(round), maxLeaves: 2).map { try $0.verified(with: author.key.publicKey) }
                }
            }
            var digests = Set<SHA256Digest>()
            var classDigests: [[String: SHA256Digest]] = []
            for replica in 0..<2 {
                let store = try Store(path: directory + "/replica-\(replica).sqlite")
                try store.initialize(unit: UnitID(unchecked: "webshop"))
                var pending = all.shuffled(using: &random)
                pending += pending.filter { _ in random.next() % 3 == 0 }  // duplicates
                var rounds = 0
                while !pending.isEmpty && rounds < 100 {
                    rounds += 1
                    var retry: [VerifiedBatch] = []
                    for batch in pending {
                        if random.next() % 5 == 0 { retry.append(batch); continue }  // lost, re-sent later
                        do { _ = try store.apply(batch, now: 1) } catch let error as StoreError where error.code == .gap {
                            retry.append(batch)
                        }
                    }
                    pending = retry.shuffled(using: &random)
                }
                #expect(pending.isEmpty, "seed \(seed): not every batch applied")
                digests.insert(try store.digest())
                classDigests.append(try store.classDigests(classOf: shareClass))
            }
            // The union of the authors' states, merged in memory, gives the same rows.
            #expect(digests.count == 1, "seed \(seed): replicas differ")
            #expect(classDigests[0] == classDigests[1], "seed \(seed): class digests differ")
            #expect(Set(classDigests[0].keys) == ["identity", "contact"])
        }
    }
}

@Suite("Purging share classes")
struct PurgeTests {
    @Test func purgeRemovesOtherAuthorsEntriesOfTheClassOnly() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let insurance = try Author("insurance", directory: directory)
            try insurance.write([("1", "given_name", "Ada")])
            for batch in try retail.write([("7", "given_name", "Grace"), ("7", "phone", "+4915112345678")]) {
                _ = try insurance.store.apply(batch.verified(with: retail.key.publicKey), now: 1)
            }
            let report = try insurance.store.purge(classes: ["contact"], classOf: shareClass, policyVersion: 4, now: 99)
            #expect(report == PurgeReport(batches: 1, entries: 1))
            let streams = try insurance.store.streamHeads().map(\.stream.description)
            #expect(streams.sorted() == ["insurance/identity", "retail/identity"])
            let state = try #require(try insurance.store.recordState(RecordKey(unchecked: retail.unit, localId: "7"), author: retail.unit))
            #expect(state.registers.keys.map(\.rawValue) == ["given_name"])
            #expect(try insurance.store.purgedClasses() == [PurgedClass(shareClass: "contact", policyVersion: 4, atMillis: 99)])
            try insurance.store.forgetPurges(of: ["contact"])
            #expect(try insurance.store.purgedClasses().isEmpty)
            #expect(try insurance.store.integrityCheck() == "ok")
        }
    }
}
