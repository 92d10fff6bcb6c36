import AccordPolicy
import Foundation
import Testing

@Suite("Rotated signing keys in the policy")
struct PreviousSigningKeyTests {
    static func key(_ seed: UInt8) -> String { Data((0..<32).map { UInt8($0) &+ seed }).base64EncodedString() }

    static func policy(version: Int = 5, previous: String) throws -> Policy {
        let text = """
            {"format": "accord-policy/1", "federation": "f", "version": \(version),
             "defaults": {"country": "DE", "dateOrder": "dayFirst"}, "clock": {"maxFutureMillis": 1000},
             "units": [{"id": "retail", "roles": ["unit"], "signingKey": "\(key(9))", "previousSigningKeys": \(previous)}],
             "shareClasses": [{"name": "contact", "audience": "all"}],
             "attributes": [{"name": "email", "type": "email", "shareClass": "contact", "pii": "direct"}]}
            """
        return try Policy.parse(Array(text.utf8))
    }

    @Test func eachBatchIsVerifiedWithTheKeyOfItsPolicyVersion() throws {
        let policy = try Self.policy(previous: """
            [{"key": "\(Self.key(1))", "throughPolicyVersion": 2}, {"key": "\(Self.key(2))", "throughPolicyVersion": 4}]
            """)
        let unit = try #require(policy.unit("retail"))
        let bytes = { (seed: UInt8) in (0..<32).map { UInt8($0) &+ seed } }
        #expect(unit.signingKey(forPolicyVersion: 1) == bytes(1))
        #expect(unit.signingKey(forPolicyVersion: 2) == bytes(1))
        #expect(unit.signingKey(forPolicyVersion: 3) == bytes(2))
        #expect(unit.signingKey(forPolicyVersion: 4) == bytes(2))
        #expect(unit.signingKey(forPolicyVersion: 5) == bytes(9))
        #expect(unit.signingKey(forPolicyVersion: 9) == bytes(9))
        // The section survives the canonical form, so signatures cover it.
        #expect(try Policy.parse(policy.canonicalJSON()) == policy)
        #expect(String(decoding: policy.canonicalJSON(), as: UTF8.self).contains("previousSigningKeys"))
        // Without the section nothing changes in the canonical form.
        let plain = try Self.policy(previous: "[]")
        #expect(!String(decoding: plain.canonicalJSON(), as: UTF8.self).contains("previousSigningKeys"))
    }

    @Test(arguments: [
        (#"[{"key": "AAAA", "throughPolicyVersion": 1}]"#, "$.units[0].previousSigningKeys[0].key"),
        (#"[{"key": "KEY1", "throughPolicyVersion": 5}]"#, "$.units[0].previousSigningKeys[0].throughPolicyVersion"),
        (#"[{"key": "KEY1", "throughPolicyVersion": 3}, {"key": "KEY2", "throughPolicyVersion": 2}]"#,
         "$.units[0].previousSigningKeys[1].throughPolicyVersion"),
        (#"[{"key": "KEY9", "throughPolicyVersion": 1}]"#, "$.units[0].previousSigningKeys[0].key"),
        (#"[{"key": "KEY1", "throughPolicyVersion": 1, "until": 3}]"#, "$.units[0].previousSigningKeys[0].until"),
    ])
    func malformedSectionsAreRefusedWithTheirPath(section: String, path: String) throws {
        let text = section.replacingOccurrences(of: "KEY1", with: Self.key(1)).replacingOccurrences(of: "KEY2", with: Self.key(2))
            .replacingOccurrences(of: "KEY9", with: Self.key(9))
        let error = #expect(throws: PolicyError.self) { try Self.policy(previous: text) }
        #expect(error?.path == path, "\(String(describing: error))")
    }
}
