import AccordPolicy
import Foundation
import Testing

@Suite("Write rules and signing keys")
struct WriteRuleTests {
    static let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()

    static func policy(units: String = "", rules: String) throws -> Policy {
        let text = """
            {"format": "accord-policy/1", "federation": "f", "version": 2,
             "defaults": {"country": "DE", "dateOrder": "dayFirst"}, "clock": {"maxFutureMillis": 1000},
             "units": [{"id": "retail", "roles": ["unit"], "signingKey": "\(key)"},
                       {"id": "support", "roles": ["unit"]}, {"id": "insurance", "roles": ["unit"]}\(units)],
             "shareClasses": [{"name": "contact", "audience": "all"}],
             "attributes": [{"name": "phone", "type": "phone", "shareClass": "contact", "pii": "direct"},
                            {"name": "email", "type": "email", "shareClass": "contact", "pii": "direct"}],
             "writeRules": \(rules)}
            """
        return try Policy.parse(Array(text.utf8))
    }

    @Test func signingKeyIsReadAndKeptInCanonicalForm() throws {
        let policy = try Self.policy(rules: "[]")
        #expect(policy.unit("retail")?.signingKey == (0..<32).map { UInt8($0) })
        #expect(policy.unit("support")?.signingKey == nil)
        #expect(try Policy.parse(policy.canonicalJSON()) == policy)
    }

    @Test func badSigningKeyIsRefusedWithItsPath() throws {
        let error = #expect(throws: PolicyError.self) {
            try Self.policy(units: #", {"id": "webshop", "roles": ["unit"], "signingKey": "AAAA"}"#, rules: "[]")
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.path == "$.units[3].signingKey")
    }

    @Test func writeRulesDecideWritesOnOthersRecords() throws {
        let policy = try Self.policy(rules: #"[{"writer": "support", "attributes": ["phone"], "owners": ["retail"]}]"#)
        #expect(policy.mayWrite(writer: "retail", owner: "retail", attribute: "phone") == .allowed)
        #expect(policy.mayWrite(writer: "support", owner: "retail", attribute: "phone") == .allowed)
        let email = policy.mayWrite(writer: "support", owner: "retail", attribute: "email")
        #expect(email == .denied(reason: "unit \"support\" may not write attribute \"email\" on records of \"retail\" (policy v2: no write rule)"))
        #expect(!policy.mayWrite(writer: "support", owner: "insurance", attribute: "phone").isAllowed)
        #expect(!policy.mayWrite(writer: "retail", owner: "support", attribute: "phone").isAllowed)
        #expect(!policy.mayWrite(writer: "marketing", owner: "retail", attribute: "phone").isAllowed)
        #expect(try Policy.parse(policy.canonicalJSON()) == policy)
    }

    @Test func ruleWithoutOwnersCoversEveryMember() throws {
        let policy = try Self.policy(rules: #"[{"writer": "support", "attributes": ["phone", "email"]}]"#)
        #expect(policy.mayWrite(writer: "support", owner: "insurance", attribute: "email") == .allowed)
    }

    @Test(arguments: [
        (#"[{"writer": "nobody", "attributes": ["phone"]}]"#, "$.writeRules[0].writer", PolicyError.Code.unknownReference),
        (#"[{"writer": "support", "attributes": ["fax"]}]"#, "$.writeRules[0].attributes[0]", .unknownReference),
        (#"[{"writer": "support", "attributes": []}]"#, "$.writeRules[0].attributes", .invalidValue),
        (#"[{"writer": "support", "attributes": ["phone"], "owners": ["x"]}]"#, "$.writeRules[0].owners[0]", .unknownReference),
        (#"[{"writer": "support", "attributes": ["phone"], "scope": 1}]"#, "$.writeRules[0].scope", .unknownKey),
    ])
    func malformedRulesAreRefusedWithTheirPath(rules: String, path: String, code: PolicyError.Code) throws {
        let error = #expect(throws: PolicyError.self) { try Self.policy(rules: rules) }
        #expect(error?.code == code)
        #expect(error?.path == path)
    }
}
