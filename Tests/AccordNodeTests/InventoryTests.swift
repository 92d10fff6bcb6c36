import AccordModel
import AccordNode
import AccordPolicy
import Foundation
import Testing

/// The data inventory: per unit and attribute, held, valid, last written, shared, writers, purposes; minimization findings.
@Suite("Data inventory")
struct InventoryTests {
    /// The sample policy with `segment` kept for no purpose and `customer_since` without declared purposes.
    static let policy: String = SamplePolicy.text
        .replacingOccurrences(of: #""customer_since", "type": "date", "shareClass": "identity", "pii": "none", "purposes": ["marketing", "research"] }"#,
                              with: #""customer_since", "type": "date", "shareClass": "identity", "pii": "none" }"#)
        .replacingOccurrences(of: #""business"], "shareClass": "identity", "pii": "none", "purposes": ["marketing", "research"] }"#,
                              with: #""business"], "shareClass": "identity", "pii": "none", "purposes": [] }"#)

    @Test func countsValidityFreshnessAudiencesWritersAndFindings() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: Array(Self.policy.utf8))
            #expect(node.policy.attribute("customer_since")?.purposes == nil && node.policy.attribute("segment")?.purposes == [])
            let before = Int64(Node.wallClock())
            _ = try node.write(localId: "C-1", values: ["given_name": .text("Ada"), "email": Value.makeSet(["ada@example.com"]), "segment": .text("premium")])
            _ = try node.write(localId: "C-2", values: ["given_name": .text("Grace"), "email": Value.makeSet(["not-an-email"]),
                                                         "customer_since": .text("2020-01-01")])
            _ = try node.write(localId: "C-3", values: ["given_name": .text("Lin"), "email": Value.makeSet(["lin@example.com"])])
            _ = try node.write(localId: "C-3", values: ["email": nil])
            let after = Int64(Node.wallClock())
            let inventory = try node.dataInventory()
            func row(_ unit: String, _ attribute: String) throws -> DataInventory.Row {
                try #require(inventory.rows.first { $0.unit == unit && $0.attribute == attribute }, "no row \(unit)/\(attribute)")
            }
            let name = try row("retail", "given_name")
            #expect(name.records == 3 && name.carrying == 3 && name.checked == 3 && name.valid == 3 && name.validity == 1)
            #expect(name.shareClass == "identity" && name.audience == ["governance", "retail", "insurance", "support", "webshop"])
            #expect(name.writers == ["retail"] && name.purposes == ["marketing", "service"] && name.pii == "direct")
            let written = try #require(name.lastWrittenMillis)
            #expect(written >= before && written <= after)
            let email = try row("retail", "email")
            // C-3's e-mail was deleted: not carried, but the deletion is the unit's latest write.
            #expect(email.carrying == 2 && email.checked == 2 && email.valid == 1 && email.validity == 0.5)
            #expect(email.audience == ["governance", "retail", "insurance", "support", "webshop"] && email.writers == ["retail", "support"])
            #expect((email.lastWrittenMillis ?? 0) >= written)
            // Retail may not author iban and holds none: no row. Insurance may: a row with nothing held.
            #expect(!inventory.rows.contains { $0.unit == "retail" && $0.attribute == "iban" })
            let iban = try row("insurance", "iban")
            #expect(iban.records == 0 && iban.carrying == 0 && iban.lastWrittenMillis == nil && iban.audience == ["governance", "insurance"])
            #expect(iban.validity == nil)
            // The governance unit authors nothing.
            #expect(!inventory.rows.contains { $0.unit == "governance" })
            #expect(inventory.findings.map { "\($0.unit)/\($0.attribute)/\($0.carrying)" } == ["retail/customer_since/1", "retail/segment/1"])
            #expect(inventory.findings[0].reason.contains("absent") && inventory.findings[1].reason.contains("empty"))
            // Only what a unit holds is a finding: insurance holds no segment.
            #expect(try row("insurance", "segment").carrying == 0)

            let only = inventory.only(unit: "insurance")
            #expect(only.findings.isEmpty && only.rows.allSatisfy { $0.unit == "insurance" } && !only.rows.isEmpty)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(inventory.json())) as? [String: Any])
            let rows = try #require(json["attributes"] as? [[String: Any]])
            let emailJSON = try #require(rows.first { $0["unit"] as? String == "retail" && $0["attribute"] as? String == "email" })
            #expect(emailJSON["carrying"] as? Int == 2 && emailJSON["validity"] as? Double == 0.5 && emailJSON["freshnessSeconds"] as? Int != nil)
            #expect(rows.first { $0["attribute"] as? String == "customer_since" }?["purposes"] is NSNull)
            #expect((json["findings"] as? [[String: Any]])?.count == 2 && json["policyVersion"] as? Int == 1)
            #expect(!String(decoding: inventory.json(), as: UTF8.self).contains("Ada"), "a record value in the inventory")
        }
    }

    @Test func theSamplePolicyDeclaresAPurposeForEveryAttribute() throws {
        let policy = try Policy.parse(Array(SamplePolicy.text.utf8))
        #expect(policy.attributes.allSatisfy { !($0.purposes ?? []).isEmpty })
    }
}
