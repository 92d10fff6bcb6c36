import AccordCrypto
import AccordLedger
import AccordModel
import AccordStore
import Foundation
import Testing

@Suite("Applying batches in groups")
struct GroupApplyTests {
    @Test func aBatchFailingHalfwayIsRolledBackAloneAndTheGroupCommits() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let insurance = try Author("insurance", directory: directory)
            let batches = try retail.write((0..<6).map { ("\($0)", "given_name", "Name \($0)") }, maxLeaves: 2)
            let verified = try batches.map { try $0.verified(with: retail.key.publicKey) }
            // Sequence 2 of the same stream again, its first leaf good and its second not decoding:
            // the first leaf is merged before the second fails.
            let good = try EntryCodec.encode(RecordWrite(record: RecordKey(unchecked: retail.unit, localId: "half"), hlc: HLC(rawValue: 99),
                                                         changes: [(attribute: AttributeName(unchecked: "given_name"), value: .text("Half"))]))
            let halfway = try BatchSealer().seal(
                [good, [0xFF, 0xFF, 0xFF]], continuing: StreamHead(stream: verified[0].batch.stream, sequence: 1, hash: verified[0].batch.hash),
                policyVersion: 1, createdAt: HLC(rawValue: 99), key: retail.key)[0]
            var results: [Result<ApplyOutcome, StoreError>] = []
            try insurance.store.group {
                for batch in [verified[0], halfway, verified[1], verified[2]] {
                    results.append(Result { try insurance.store.applyInGroup(batch, now: 1) }.mapError { $0 as! StoreError })
                }
            }
            #expect(try results[0].get() == .applied(recordsChanged: 2))
            #expect(throws: StoreError(.malformedLeaf, "")) { try results[1].get() }
            #expect(try results[2].get() == .applied(recordsChanged: 2))
            #expect(try results[3].get() == .applied(recordsChanged: 2))
            // Nothing of the failed batch stayed; the rest of the group is committed, visible to another connection.
            #expect(try insurance.store.recordState(RecordKey(unchecked: retail.unit, localId: "half"), author: retail.unit) == nil)
            let other = try Store(path: insurance.store.path)
            #expect(try other.streamHead(verified[0].batch.stream).sequence == 3)
            #expect(try other.counts().batches == 3)
            #expect(try other.digest() == retail.store.digest())
        }
    }

    @Test func aFailedGroupLeavesNothing() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let insurance = try Author("insurance", directory: directory)
            let verified = try retail.write([("1", "given_name", "Ada")]).map { try $0.verified(with: retail.key.publicKey) }
            struct Abort: Error {}
            #expect(throws: StoreError.self) {
                try insurance.store.group {
                    _ = try insurance.store.applyInGroup(verified[0], now: 1)
                    throw Abort()
                }
            }
            #expect(try insurance.store.counts().batches == 0)
            #expect(try insurance.store.recordState(RecordKey(unchecked: retail.unit, localId: "1"), author: retail.unit) == nil)
        }
    }

    @Test func aRolledBackBatchLeavesNoTraceInTheStatesOfTheGroup() throws {
        try withTemporaryDirectory { directory in
            let retail = try Author("retail", directory: directory)
            let insurance = try Author("insurance", directory: directory)
            // Record 1's identity leaf and contact leaf, in two batches of two streams.
            let verified = try retail.write([("1", "given_name", "Ada"), ("1", "phone", "+4915112345678"), ("2", "phone", "+4915100000000")])
                .map { try $0.verified(with: retail.key.publicKey) }
            #expect(verified.count == 2)
            let contact = try #require(verified.first { $0.batch.stream.shareClass == "contact" })
            let identity = try #require(verified.first { $0.batch.stream.shareClass == "identity" })
            // A contact batch #1 that merges a phone into record 1, then fails on its second leaf.
            let phone = try EntryCodec.encode(RecordWrite(record: RecordKey(unchecked: retail.unit, localId: "1"), hlc: HLC(rawValue: UInt64.max / 2),
                                                          changes: [(attribute: AttributeName(unchecked: "phone"), value: .text("+49999"))]))
            let failing = try BatchSealer().seal([phone, [0xFF, 0xFF]], continuing: .empty(contact.batch.stream), policyVersion: 1,
                                                 createdAt: HLC(rawValue: 99), key: retail.key)[0]
            let outcomes = try insurance.store.group { () -> [ApplyOutcome?] in
                [try insurance.store.applyInGroup(identity, now: 1), try? insurance.store.applyInGroup(failing, now: 1), try insurance.store.applyInGroup(contact, now: 1)]
            }
            #expect(outcomes == [.applied(recordsChanged: 1), nil, .applied(recordsChanged: 2)])
            // Record 1 holds what retail wrote, not the rolled-back phone.
            #expect(try insurance.store.digest() == retail.store.digest())
            let key = RecordKey(unchecked: retail.unit, localId: "1")
            let held = try insurance.store.recordState(key, author: retail.unit)
            #expect(held == (try retail.store.recordState(key, author: retail.unit)))
        }
    }
}
