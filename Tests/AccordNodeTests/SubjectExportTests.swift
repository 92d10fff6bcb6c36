import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation
import Testing

/// Access requests cover the person across units: the records given, those sharing an email or a
/// phone number, and every record of the same profile; nothing of anyone else.
@Suite("Access requests over a person's profile")
struct SubjectExportTests {
    private func customer(_ node: Node, _ localId: String, _ values: [String: String]) throws {
        var normalized: [String: Value?] = [:]
        for (name, text) in values {
            normalized[name] = try node.normalize(text, attribute: name, multiValued: node.policy.attribute(name)?.multiValued ?? false)
        }
        try node.write(localId: localId, values: normalized)
    }

    /// Retail and insurance each hold their own records and, after an exchange, each other's.
    private func federation(in directory: String) throws -> (retail: Node, insurance: Node) {
        let nodes = try makeNodes(["retail", "insurance"], in: directory)
        let (retail, insurance) = (nodes[0], nodes[1])
        try customer(retail, "R-1", ["given_name": "Anna", "family_name": "Schmidt", "birth_date": "1985-03-02",
                                     "email": "anna.schmidt@example.com", "street": "Hauptstraße 5", "postcode": "10115"])
        // The household member: same family name and address, another person.
        try customer(retail, "R-2", ["given_name": "Peter", "family_name": "Schmidt", "birth_date": "1983-11-20",
                                     "street": "Hauptstraße 5", "postcode": "10115", "email": "peter.s@example.com"])
        // Anna at insurance, without her email: only consolidation links this record to R-1.
        try customer(insurance, "I-7", ["given_name": "Anna", "family_name": "Schmidt", "birth_date": "1985-03-02",
                                        "street": "Hauptstraße 5", "postcode": "10115", "phone": "+49 151 2345678"])
        try customer(insurance, "I-8", ["given_name": "Jonas", "family_name": "Weber", "birth_date": "1990-07-14", "phone": "+49 160 9876543"])
        let topic = try ConsentTopic(channel: "sms", purpose: "marketing", scope: .unit(insurance.unit))
        _ = try insurance.recordConsent(localId: "I-7", topic: topic, decision: ConsentDecision(
            choice: .optOut, expressed: true, decidedAtMillis: Int64(Node.wallClock()) - 1_000, method: "call-centre",
            noticeVersion: "v2", noticeHash: [], collectedBy: insurance.unit))
        for (from, to) in [(retail, insurance), (insurance, retail)] {
            let engine = SyncEngine(node: to, logger: LogRecorder().logger())
            for batch in try from.store.batchRows(after: 0, limit: 10_000).map(\.batch) where batch.header.stream.author == from.unit {
                #expect(engine.receive(batch, from: from.unit.rawValue) == .applied)
            }
        }
        return (retail, insurance)
    }

    private func export(_ node: Node, _ subjects: [ErasureSubject]) throws -> (object: [String: Any], text: String) {
        let data = try node.exportSubject(subjects, operatorName: "dpo")
        return (try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]), String(decoding: data, as: UTF8.self))
    }

    private func foundBy(_ object: [String: Any]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (object["records"] as? [[String: Any]] ?? []).map { ($0["record"] as? String ?? "", $0["foundBy"] as? String ?? "") })
    }

    @Test func anExportFromOneRecordCoversTheProfileAcrossUnitsAndNobodyElse() throws {
        try withTemporaryDirectory { directory in
            let (retail, _) = try federation(in: directory)
            let anna = RecordKey(unchecked: retail.unit, localId: "R-1")
            let profile = try #require(try retail.profileDocument(.record(anna)))
            let members = try #require(try JSONSerialization.jsonObject(with: Data(profile)) as? [String: Any])["records"] as? [String]
            try #require(members == ["insurance/I-7", "retail/R-1"], "the consolidation links Anna's records")

            let (object, text) = try export(retail, [.record(anna)])
            #expect(object["format"] as? String == "accord-subject-export/2")
            #expect(foundBy(object) == ["retail/R-1": "request", "insurance/I-7": "profile"])
            let entries = try #require(object["entries"] as? [[String: Any]])
            #expect(entries.contains { $0["record"] as? String == "insurance/I-7" && $0["attribute"] as? String == "phone"
                && $0["value"] as? String == "+491512345678" && $0["writtenBy"] as? String == "insurance" })
            #expect(entries.contains { $0["record"] as? String == "retail/R-1" && $0["attribute"] as? String == "email" })
            #expect(Set(entries.compactMap { $0["record"] as? String }) == ["insurance/I-7", "retail/R-1"])
            let consent = try #require(object["consent"] as? [[String: Any]])
            #expect(consent.count == 1 && consent[0]["record"] as? String == "insurance/I-7" && consent[0]["decision"] as? String == "opt-out")
            let profiles = try #require(object["profiles"] as? [[String: Any]])
            #expect(profiles.count == 1 && profiles[0]["records"] as? [String] == members)
            // Nothing of the household member or the other customer.
            for other in ["Peter", "peter.s@example.com", "1983-11-20", "Jonas", "Weber", "+491609876543", "R-2", "I-8"] {
                #expect(!text.contains(other), "the export holds \(other)")
            }
        }
    }

    @Test func anExportByEmailOrPhoneFindsTheRecordsAndIsAuditedWithoutTheIdentifier() throws {
        try withTemporaryDirectory { directory in
            let (retail, insurance) = try federation(in: directory)
            let byEmail = try export(insurance, [.email(" Anna.Schmidt@Example.com ")])
            #expect(foundBy(byEmail.object) == ["retail/R-1": "identifier", "insurance/I-7": "profile"])
            let byPhone = try export(retail, [.phone("+49 151 2345678")])
            #expect(foundBy(byPhone.object) == ["insurance/I-7": "identifier", "retail/R-1": "profile"])
            #expect(!byPhone.text.contains("Peter") && !byPhone.text.contains("Jonas"))

            let audited = try retail.store.auditEntries(action: "subject.export")
            #expect(audited.count == 1 && audited[0].operatorName == "dpo")
            #expect(audited[0].subject == "insurance/I-7 +1 records" && audited[0].detail?.hasPrefix("2 records, ") == true)
            let month: Int64 = 30 * 24 * 3600 * 1000
            #expect(audited[0].dueAtMillis.map { abs($0 - audited[0].atMillis - month) < 5_000 } == true, "due a month out")

            let nobody = #expect(throws: NodeError.self) { try retail.exportSubject([.email("nobody@example.com")]) }
            #expect(nobody?.code == .notFound && nobody?.message == "this node holds nothing on the person")
            let invalid = #expect(throws: NodeError.self) { try retail.exportSubject([.email("not an email")]) }
            #expect(invalid?.code == .notAllowed)
            #expect(try retail.store.auditEntries(action: "subject.export").count == 1, "refused requests export nothing")
        }
    }
}
