import Foundation
import Testing

import AccordPolicy

/// The governance sections: erasure, retention per class, legal holds, consent propagation, and
/// the units' endpoints and certificate identities.
@Suite("Policy: erasure, retention, legal holds, propagation, membership")
struct GovernanceSectionTests {
    /// The base policy with `sections` added at the top level (and `unitExtra` in retail's unit).
    func document(_ sections: String, unitExtra: String = "") -> String {
        var text = basePolicy
        if !unitExtra.isEmpty {
            text = text.replacingOccurrences(of: #"{ "id": "retail", "roles": ["unit"], "country": "DE" }"#,
                                             with: #"{ "id": "retail", "roles": ["unit"], "country": "DE", "# + unitExtra + " }")
        }
        text = text.replacingOccurrences(of: #"{ "name": "financial", "audience": ["insurance", "governance"] }"#,
                                         with: #"{ "name": "financial", "audience": ["insurance", "governance"] }, { "name": "erasure", "audience": "all" }"#)
        text.removeLast()
        return text + (sections.isEmpty ? "}" : ", " + sections + "}")
    }

    let full = """
        "consent": {"channels": ["email", "sms"], "purposes": ["marketing", "service"], "shareClass": "contact",
                    "propagation": [{"channel": "email", "purpose": "marketing", "from": "unit", "to": "company", "units": ["retail"]},
                                    {"channel": "all", "purpose": "all", "from": "line", "to": "company"}]},
        "erasure": {"shareClass": "erasure", "requesters": ["governance", "retail"]},
        "retention": {"financial": 3650, "contact": 30},
        "legalHolds": [{"id": "claim-17", "reason": "Pending claim", "reference": "LEGAL-1", "classes": ["financial"]},
                       {"id": "fraud", "reason": "Fraud case", "records": ["retail/C-1", "insurance/客户 7"]}]
        """

    @Test func theSectionsParseAndAnswer() throws {
        let policy = try Policy.parse(Array(document(full, unitExtra: #""endpoint": "10.0.0.7:7401""#).utf8))
        #expect(policy.erasure == ErasureModel(shareClass: "erasure", requesters: ["governance", "retail"]))
        #expect(policy.shareClass(ofAttribute: "erasure:request") == "erasure")
        #expect(policy.mayRequestErasure(unit: "retail").isAllowed)
        #expect(policy.mayRequestErasure(unit: "insurance") == .denied(reason: "unit \"insurance\" may not request erasure (policy v1: requesters are governance, retail)"))
        #expect(policy.retention == ["financial": 3650, "contact": 30])
        #expect(policy.legalHolds.map(\.id) == ["claim-17", "fraud"])
        #expect(policy.legalHold(record: "insurance/I-3", shareClass: "financial")?.id == "claim-17")
        #expect(policy.legalHold(record: "retail/C-1", shareClass: "contact")?.id == "fraud")
        #expect(policy.legalHold(record: "insurance/客户 7", shareClass: "contact")?.id == "fraud")
        #expect(policy.legalHold(record: "retail/C-2", shareClass: "contact") == nil)
        #expect(policy.consent?.propagation == [
            ConsentPropagationRule(channel: "email", purpose: "marketing", from: .unit, to: .company, units: ["retail"]),
            ConsentPropagationRule(channel: "all", purpose: "all", from: .line, to: .company),
        ])
        #expect(policy.unit("retail")?.endpoint == "10.0.0.7:7401")
        #expect(policy.unit("retail")?.certificateIdentity == "accord://unit/retail")
        // The canonical form holds every section, and reads back to the same policy.
        let canonical = policy.canonicalJSON()
        #expect(try Policy.parse(canonical) == policy)
        let text = String(decoding: canonical, as: UTF8.self)
        for key in ["\"erasure\":", "\"retention\":", "\"legalHolds\":", "\"propagation\":", "\"endpoint\":"] { #expect(text.contains(key), "\(key)") }
    }

    @Test func policiesWithoutTheSectionsKeepTheirCanonicalForm() throws {
        let policy = try Policy.parse(Array(basePolicy.utf8))
        let text = String(decoding: policy.canonicalJSON(), as: UTF8.self)
        for key in ["erasure", "retention", "legalHolds", "propagation", "endpoint", "certificateIdentity"] {
            #expect(!text.contains(key), "\(key) must not appear in the canonical form of a policy without it")
        }
        let explicit = try Policy.parse(Array(document("", unitExtra: #""certificateIdentity": "accord://unit/retail""#).utf8))
        #expect(explicit.unit("retail") == (try Policy.parse(Array(document("").utf8))).unit("retail"))
    }

    @Test(arguments: [
        // erasure
        (#""erasure": {"shareClass": "nope", "requesters": ["retail"]}"#, "$.erasure.shareClass", PolicyError.Code.unknownReference),
        (#""erasure": {"shareClass": "financial", "requesters": ["retail"]}"#, "$.erasure.shareClass", .invalidValue),
        (#""erasure": {"shareClass": "contact", "requesters": ["retail"]}"#, "$.erasure.shareClass", .invalidValue),
        (#""erasure": {"shareClass": "erasure", "requesters": []}"#, "$.erasure.requesters", .invalidValue),
        (#""erasure": {"shareClass": "erasure", "requesters": ["bank"]}"#, "$.erasure.requesters[0]", .unknownReference),
        (#""erasure": {"shareClass": "erasure"}"#, "$.erasure.requesters", .missingField),
        (#""consent": {"channels": ["email"], "purposes": ["x"], "shareClass": "erasure"}, "erasure": {"shareClass": "erasure", "requesters": ["retail"]}"#,
         "$.erasure.shareClass", .invalidValue),
        // retention
        (#""retention": {"financia": 30}"#, "$.retention.financia", .unknownReference),
        (#""retention": {"financial": 0}"#, "$.retention.financial", .invalidValue),
        (#""retention": {"financial": "30"}"#, "$.retention.financial", .wrongType),
        (#""retention": [30]"#, "$.retention", .wrongType),
        // legal holds
        (#""legalHolds": [{"id": "h", "reason": "r"}]"#, "$.legalHolds[0]", .missingField),
        (#""legalHolds": [{"id": "h", "reason": "", "classes": ["contact"]}]"#, "$.legalHolds[0].reason", .invalidValue),
        (#""legalHolds": [{"id": "h", "reason": "r", "classes": ["contacts"]}]"#, "$.legalHolds[0].classes[0]", .unknownReference),
        (#""legalHolds": [{"id": "h", "reason": "r", "records": ["bank/C-1"]}]"#, "$.legalHolds[0].records[0]", .unknownReference),
        (#""legalHolds": [{"id": "h", "reason": "r", "records": ["C-1"]}]"#, "$.legalHolds[0].records[0]", .unknownReference),
        (#""legalHolds": [{"id": "h", "reason": "r", "records": ["retail/C-1", "retail/C-1"]}]"#, "$.legalHolds[0].records[1]", .duplicate),
        (#""legalHolds": [{"id": "h", "reason": "r", "classes": ["contact"]}, {"id": "h", "reason": "r", "classes": ["contact"]}]"#, "$.legalHolds[1].id", .duplicate),
        (#""legalHolds": [{"id": "h", "reason": "r", "classes": ["contact"], "until": "2027"}]"#, "$.legalHolds[0].until", .unknownKey),
        // consent propagation
        (#""consent": {"channels": ["email"], "purposes": ["x"], "shareClass": "contact", "propagation": [{"channel": "fax", "purpose": "x", "from": "unit", "to": "company"}]}"#,
         "$.consent.propagation[0].channel", .unknownReference),
        (#""consent": {"channels": ["email"], "purposes": ["x"], "shareClass": "contact", "propagation": [{"channel": "email", "purpose": "x", "from": "company", "to": "company"}]}"#,
         "$.consent.propagation[0].from", .invalidValue),
        (#""consent": {"channels": ["email"], "purposes": ["x"], "shareClass": "contact", "propagation": [{"channel": "email", "purpose": "x", "from": "line", "to": "line"}]}"#,
         "$.consent.propagation[0].to", .invalidValue),
        (#""consent": {"channels": ["email"], "purposes": ["x"], "shareClass": "contact", "propagation": [{"channel": "email", "purpose": "y", "from": "unit", "to": "line"}]}"#,
         "$.consent.propagation[0].purpose", .unknownReference),
        (#""consent": {"channels": ["email"], "purposes": ["x"], "shareClass": "contact", "propagation": [{"channel": "email", "purpose": "x", "from": "unit", "to": "line", "units": ["bank"]}]}"#,
         "$.consent.propagation[0].units[0]", .unknownReference),
    ])
    func malformedSectionsAreRefusedWithTheirPath(section: String, path: String, code: PolicyError.Code) throws {
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(document(section).utf8), source: "policy.json") }
        #expect(error.code == code && error.path == path, "\(error)")
        #expect(error.description.hasPrefix("policy.json: \(path): "))
    }

    @Test(arguments: [
        (#""endpoint": "10.0.0.7""#, "$.units[1].endpoint"),
        (#""endpoint": ":7401""#, "$.units[1].endpoint"),
        (#""endpoint": "host:70000""#, "$.units[1].endpoint"),
        (#""endpoint": "a host:7401""#, "$.units[1].endpoint"),
        (#""certificateIdentity": "accord://unit/insurance""#, "$.units[1].certificateIdentity"),
        (#""certificateIdentity": "spiffe://acme/retail""#, "$.units[1].certificateIdentity"),
    ])
    func badEndpointsAndIdentitiesAreRefused(extra: String, path: String) throws {
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(document("", unitExtra: extra).utf8)) }
        #expect(error.code == .invalidValue && error.path == path, "\(error)")
    }
}
