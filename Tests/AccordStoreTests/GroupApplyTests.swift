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
}
