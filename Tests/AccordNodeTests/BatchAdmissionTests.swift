import AccordCrypto
import AccordImport
import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import AccordSync
import Foundation
import Testing

/// Receive-side checks: every refusal names its cause, and only a batch that passes them all is admitted.
@Suite("Batch admission")
struct BatchAdmissionTests {
    let retailKey = try! Ed25519PrivateKey.generate()
    let supportKey = try! Ed25519PrivateKey.generate()
    let policy: Policy
    let now: UInt64 = 1_800_000_000_000

    init() throws {
        func base64(_ key: Ed25519PrivateKey) -> String { Data(key.publicKey.rawRepresentation).base64EncodedString() }
        let text = """
            {"format": "accord-policy/1", "federation": "acme", "version": 3,
             "defaults": {"country": "DE", "dateOrder": "dayFirst"}, "clock": {"maxFutureMillis": 60000},
             "units": [{"id": "retail", "roles": ["unit"], "signingKey": "\(base64(retailKey))"},
                       {"id": "support", "roles": ["unit"], "signingKey": "\(base64(supportKey))"},
                       {"id": "insurance", "roles": ["unit"]}],
             "shareClasses": [{"name": "identity", "audience": "all"},
                              {"name": "contact", "audience": ["retail", "support"]}],
             "attributes": [{"name": "given_name", "type": "name", "shareClass": "identity", "pii": "direct"},
                            {"name": "email", "type": "email", "multiValued": true, "shareClass": "contact", "pii": "direct"},
                            {"name": "phone", "type": "phone", "multiValued": true, "shareClass": "contact", "pii": "direct"}],
             "writeRules": [{"writer": "support", "attributes": ["phone"], "owners": ["retail"]}]}
            """
        policy = try Policy.parse(Array(text.utf8))
    }

    func admission(_ receiver: String) -> BatchAdmission {
        BatchAdmission(policy: policy, receiver: UnitID(unchecked: receiver), settings: NormalizationSettings())
    }

    func batch(author: String, shareClass: String, key: Ed25519PrivateKey, policyVersion: UInt64 = 3,
               owner: String? = nil, hlcMillis: UInt64? = nil, _ changes: [(String, Value?)]) throws -> Batch {
        let record = RecordKey(unchecked: UnitID(unchecked: owner ?? author), localId: "C-1")
        let write = try RecordWrite(record: record, hlc: HLC(physicalMillis: hlcMillis ?? now, logical: 0),
                                    changes: changes.map { (attribute: AttributeName(unchecked: $0.0), value: $0.1) })
        return try BatchSealer().seal([EntryCodec.encode(write)], continuing: .empty(StreamID(unchecked: UnitID(unchecked: author), shareClass: shareClass)),
                                      policyVersion: policyVersion, createdAt: write.hlc, key: key)[0].batch
    }

    @Test func aValidBatchIsAdmitted() throws {
        let good = try batch(author: "retail", shareClass: "contact", key: retailKey, [("email", .set(["ada@example.com"])), ("phone", nil)])
        guard case .admit(let admitted) = admission("support").check(good, now: now) else {
            Issue.record("refused: \(admission("support").check(good, now: now).refusal ?? "")")
            return
        }
        #expect(admitted.batch.batch == good)
        #expect(admitted.writes.count == 1 && admitted.writes[0]?.record.localId == "C-1")
        let corrected = try batch(author: "support", shareClass: "contact", key: supportKey, owner: "retail", [("phone", .set(["+491512345678"]))])
        #expect(admission("retail").check(corrected, now: now).refusal == nil)
    }

    @Test func refusalsNameTheirCause() throws {
        let cases: [(Batch, String, String)] = [
            (try batch(author: "marketing", shareClass: "identity", key: retailKey, [("given_name", .text("Ada"))]), "retail",
             "author \"marketing\" is not a member of federation acme"),
            (try batch(author: "insurance", shareClass: "identity", key: retailKey, [("given_name", .text("Ada"))]), "retail",
             "holds no signing key for \"insurance\""),
            (try batch(author: "retail", shareClass: "identity", key: supportKey, [("given_name", .text("Ada"))]), "support",
             "is not signed by retail's key"),
            (try batch(author: "retail", shareClass: "contact", key: retailKey, [("email", .set(["a@example.com"]))]), "insurance",
             "unit \"insurance\" is not in the audience of class \"contact\""),
            (try batch(author: "retail", shareClass: "identity", key: retailKey, policyVersion: 4, [("given_name", .text("Ada"))]), "support",
             "written under policy v4, this node holds v3"),
            (try batch(author: "retail", shareClass: "identity", key: retailKey, [("email", .set(["a@example.com"]))]), "support",
             "attribute \"email\" belongs to class \"contact\", not \"identity\""),
            (try batch(author: "retail", shareClass: "identity", key: retailKey, [("shoe_size", .text("44"))]), "support",
             "attribute \"shoe_size\" is not in the catalog"),
            (try batch(author: "support", shareClass: "contact", key: supportKey, owner: "retail", [("email", .set(["a@example.com"]))]), "retail",
             "may not write attribute \"email\" on records of \"retail\""),
            (try batch(author: "retail", shareClass: "contact", key: retailKey, [("email", .set(["not-an-email"]))]), "support",
             "attribute \"email\": "),
            (try batch(author: "retail", shareClass: "contact", key: retailKey, [("email", .text("ada@example.com"))]), "support",
             "holds the wrong kind of value (expected a set)"),
            (try batch(author: "retail", shareClass: "identity", key: retailKey, [("given_name", .text("  Ada  "))]), "support",
             "not in normalized form"),
            (try batch(author: "retail", shareClass: "identity", key: retailKey, hlcMillis: now + 120_000, [("given_name", .text("Ada"))]), "support",
             "ms in the future, over the bound of 60000 ms"),
        ]
        for (index, (batch, receiver, expected)) in cases.enumerated() {
            let reason = admission(receiver).check(batch, now: now).refusal
            #expect(reason?.contains(expected) == true, "case \(index): \(reason ?? "admitted")")
            // Only the future bound's refusal is one a sender retries later (SyncSession).
            #expect(SyncSession.mayPassLater(reason ?? "") == (index == cases.count - 1), "case \(index): \(reason ?? "admitted")")
        }
    }

    @Test func aTamperedLeafIsRefused() throws {
        let good = try batch(author: "retail", shareClass: "identity", key: retailKey, [("given_name", .text("Ada"))])
        var body = try #require(good.leaves[0].saltedBody)
        body[body.count - 1] ^= 1
        let tampered = Batch(header: good.header, leaves: [Leaf(saltedBody: body)], signature: good.signature)
        #expect(admission("support").check(tampered, now: now).refusal?.contains("is not signed by retail's key") == true)
    }

    @Test func aRedactedLeafIsNotCheckedButTheBatchStillVerifies() throws {
        let good = try batch(author: "retail", shareClass: "identity", key: retailKey, [("given_name", .text("Ada"))])
        #expect(admission("support").check(good.redacting(leafAt: 0), now: now).refusal == nil)
    }
}
