import AccordCrypto
import AccordImport
import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import Foundation
import Testing

/// The admission decides the rules of an (owner, attribute) pair once per batch: later leaves
/// with the same pair still get every value checked, and another owner gets its own decision.
@Suite("Batch admission, decisions reused within a batch")
struct BatchAdmissionRuleTests {
    func sealed(_ writes: [(owner: String, localId: String, changes: [(String, Value?)])], author: String, key: Ed25519PrivateKey,
                shareClass: String, now: UInt64) throws -> Batch {
        let bodies = try writes.map { write in
            try EntryCodec.encode(RecordWrite(record: RecordKey(unchecked: UnitID(unchecked: write.owner), localId: write.localId),
                                              hlc: HLC(physicalMillis: now, logical: 0),
                                              changes: write.changes.map { (attribute: AttributeName(unchecked: $0.0), value: $0.1) }))
        }
        return try BatchSealer().seal(bodies, continuing: .empty(StreamID(unchecked: UnitID(unchecked: author), shareClass: shareClass)),
                                      policyVersion: 3, createdAt: HLC(physicalMillis: now, logical: 0), key: key)[0].batch
    }

    @Test func aLaterLeafWithABadValueIsStillRefused() throws {
        let fixture = try BatchAdmissionTests()
        let batch = try sealed([("retail", "C-1", [("phone", .set(["+491512345678"]))]),
                                ("retail", "C-2", [("phone", .set(["not a phone"]))])],
                               author: "retail", key: fixture.retailKey, shareClass: "contact", now: fixture.now)
        let reason = fixture.admission("support").check(batch, now: fixture.now).refusal
        #expect(reason?.contains("leaf 1 (record retail/C-2)") == true)
        #expect(reason?.contains("attribute \"phone\"") == true)
    }

    @Test func anotherOwnerGetsItsOwnDecision() throws {
        let fixture = try BatchAdmissionTests()
        // support may write phone on retail's records only: its own record, then retail's, then insurance's.
        let allowed = try sealed([("support", "S-1", [("phone", .set(["+491512345678"]))]),
                                  ("retail", "C-1", [("phone", .set(["+491512345678"]))])],
                                 author: "support", key: fixture.supportKey, shareClass: "contact", now: fixture.now)
        #expect(fixture.admission("retail").check(allowed, now: fixture.now).refusal == nil)
        let trespass = try sealed([("retail", "C-1", [("phone", .set(["+491512345678"]))]),
                                   ("insurance", "I-1", [("phone", .set(["+491512345678"]))])],
                                  author: "support", key: fixture.supportKey, shareClass: "contact", now: fixture.now)
        let reason = fixture.admission("retail").check(trespass, now: fixture.now).refusal
        #expect(reason?.contains("leaf 1 (record insurance/I-1)") == true)
        #expect(reason?.contains("may not write attribute \"phone\" on records of \"insurance\"") == true)
        // And a refused pair stays refused for the rest of the batch.
        let twice = try sealed([("support", "S-1", [("given_name", .text("Ada"))]), ("support", "S-2", [("given_name", .text("Bob"))])],
                               author: "support", key: fixture.supportKey, shareClass: "contact", now: fixture.now)
        #expect(fixture.admission("retail").check(twice, now: fixture.now).refusal?.contains("leaf 0") == true)
    }
}
