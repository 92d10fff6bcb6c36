import Foundation
import Testing

@testable import AccordPolicy

/// The sample federation in Config/policy.json.
@Suite struct SamplePolicyTests {
    static let samplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config/policy.json").path

    let policy: Policy

    init() throws {
        policy = try Policy.load(contentsOf: SamplePolicyTests.samplePath)
    }

    @Test func loadsTheSampleFederation() throws {
        #expect(policy.federation == "acme")
        #expect(policy.version == 1)
        #expect(policy.defaults == PolicyDefaults(country: "DE", dateOrder: .dayFirst))
        #expect(policy.clock.maxFutureMillis == 60_000)
        #expect(policy.units.map(\.id) == ["governance", "retail", "insurance", "support", "webshop"])
        #expect(policy.shareClasses.map(\.name) == ["identity", "contact", "financial", "consent", "interactions", "erasure", "stewardship"])
        #expect(policy.consent == ConsentModel(channels: ["email", "sms", "phone", "mail"], purposes: ["marketing", "service", "research"], shareClass: "consent"))
        #expect(policy.shareClass(ofAttribute: "consent:email:marketing:company") == "consent")
        #expect(policy.shareClass(ofAttribute: "email") == "contact")
        #expect(policy.shareClass(ofAttribute: "shoe_size") == nil)
        #expect(policy.attributes.count == 12)
    }

    @Test func lookupsAnswer() throws {
        let governance = try #require(policy.unit("governance"))
        #expect(governance.roles == [.governance])
        #expect(governance.name == "Central governance")
        #expect(governance.lineOfBusiness == "corporate")
        #expect(governance.country == nil)
        #expect(policy.unit("retail")?.country == "DE")
        #expect(policy.unit("marketing") == nil)

        let email = try #require(policy.attribute("email"))
        #expect(email.type == .email && email.multiValued && email.shareClass == "contact" && email.pii == .direct)
        #expect(email.maxLength == 256 && email.required == false && email.authors == nil && email.pattern == nil)
        #expect(policy.attribute("given_name")?.maxLength == 100)
        let segment = try #require(policy.attribute("segment"))
        #expect(segment.type == .enumeration)
        #expect(segment.allowedValues == ["standard", "premium", "business"])
        let iban = try #require(policy.attribute("iban"))
        #expect(iban.pii == .sensitive && iban.authors == ["insurance"])
        #expect(iban.pattern == "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
        #expect(policy.attribute("shoe_size") == nil)

        #expect(policy.shareClass("contact")?.audience == .all)
        #expect(policy.shareClass("financial")?.audience == .units(["insurance", "governance"]))
        #expect(policy.shareClass("policy") == nil)
        #expect(policy.isMember("webshop"))
        #expect(!policy.isMember("marketing"))
    }

    @Test func mayReceiveFollowsAudiences() {
        // "all": every member.
        for unit in ["governance", "retail", "insurance", "support", "webshop"] {
            #expect(policy.mayReceive(unit: unit, shareClass: "contact"))
        }
        // Listed audiences.
        #expect(policy.mayReceive(unit: "insurance", shareClass: "financial"))
        #expect(policy.mayReceive(unit: "governance", shareClass: "financial"))
        #expect(!policy.mayReceive(unit: "retail", shareClass: "financial"))
        #expect(!policy.mayReceive(unit: "webshop", shareClass: "financial"))
        #expect(policy.mayReceive(unit: "support", shareClass: "interactions"))
        #expect(!policy.mayReceive(unit: "governance", shareClass: "interactions"))
        // Non-members receive nothing, not even "all"; unknown classes go to nobody.
        #expect(!policy.mayReceive(unit: "marketing", shareClass: "contact"))
        #expect(!policy.mayReceive(unit: "retail", shareClass: "policy"))
    }

    @Test func mayAuthorAppliesMinimization() {
        #expect(policy.mayAuthor(unit: "retail", attribute: "email") == .allowed)
        #expect(policy.mayAuthor(unit: "insurance", attribute: "iban") == .allowed)
        #expect(
            policy.mayAuthor(unit: "webshop", attribute: "iban")
                == .denied(reason: "unit \"webshop\" may not author attribute \"iban\" (policy v1: authors are insurance)"))
        // Governance has no role "unit", so it authors only attributes that list it.
        #expect(
            policy.mayAuthor(unit: "governance", attribute: "email")
                == .denied(
                    reason: "unit \"governance\" may not author attribute \"email\" "
                        + "(policy v1: authors are the units with role \"unit\")"))
        #expect(
            policy.mayAuthor(unit: "marketing", attribute: "email")
                == .denied(reason: "unit \"marketing\" is not a member of federation \"acme\" (policy v1)"))
        #expect(
            policy.mayAuthor(unit: "retail", attribute: "shoe_size")
                == .denied(reason: "attribute \"shoe_size\" is not defined (policy v1)"))
        #expect(!policy.mayAuthor(unit: "retail", attribute: "iban").isAllowed)
    }

    @Test func canonicalJSONRoundTrips() throws {
        let canonical = policy.canonicalJSON()
        let reparsed = try Policy.parse(canonical)
        #expect(reparsed == policy)
        #expect(reparsed.canonicalJSON() == canonical)
        let text = String(decoding: canonical, as: UTF8.self)
        #expect(!text.contains("\": ") && !text.contains("\n") && !text.contains(", \"") && !text.contains("{ "))
        #expect(text.hasPrefix(#"{"attributes":[{"maxLength":100,"multiValued":false,"name":"given_name","#))
    }

    @Test func canonicalJSONIgnoresKeyOrderWhitespaceAndDefaults() throws {
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: SamplePolicyTests.samplePath)))
        let tree = try JSONParser.parse(original, source: "test")
        let shuffled = Array(reversedKeys(tree, indent: "").utf8)
        #expect(shuffled != original)
        let other = try Policy.parse(shuffled)
        #expect(other == policy)
        #expect(other.canonicalJSON() == policy.canonicalJSON())

        // Defaults written out, sets in another order: the same policy, the same bytes.
        let explicit = try String(contentsOfFile: SamplePolicyTests.samplePath, encoding: .utf8)
            .replacingOccurrences(
                of: #""birth_date", "type": "date","#, with: #""birth_date", "required": false, "maxLength": 256, "type": "date","#)
            .replacingOccurrences(of: #"["insurance", "governance"]"#, with: #"["governance", "insurance"]"#)
        let same = try Policy.parse(Array(explicit.utf8))
        #expect(same.canonicalJSON() == policy.canonicalJSON())
    }

    @Test func canonicalJSONOfASmallPolicyIsPinned() throws {
        let text = """
            {"version": 3, "format": "accord-policy/1", "federation": "f",
             "units": [{"roles": ["unit", "governance"], "id": "a", "name": "A \\"one\\"\\n"}],
             "shareClasses": [{"name": "c", "audience": ["a"]}],
             "attributes": [{"name": "x", "type": "enum", "allowedValues": ["b", "a"], "shareClass": "c", "pii": "none"}],
             "clock": {"maxFutureMillis": 0}, "defaults": {"dateOrder": "yearFirst", "country": "FR"},
             "purposes": {"anything": [1, 2, 3]}}
            """
        let policy = try Policy.parse(Array(text.utf8))
        let expected = #"{"attributes":[{"allowedValues":["b","a"],"maxLength":256,"multiValued":false,"name":"x","pii":"none","required":false,"shareClass":"c","type":"enum"}],"#
            + #""clock":{"maxFutureMillis":0},"defaults":{"country":"FR","dateOrder":"yearFirst"},"federation":"f","format":"accord-policy/1","#
            + #""shareClasses":[{"audience":["a"],"description":"","name":"c"}],"units":[{"id":"a","name":"A \"one\"\n","roles":["governance","unit"]}],"version":3,"writeRules":[]}"#
        #expect(String(decoding: policy.canonicalJSON(), as: UTF8.self) == expected)
    }

    /// Writes a JSON tree with every object's keys in reverse sorted order, indented.
    private func reversedKeys(_ value: JSONValue, indent: String) -> String {
        let inner = indent + "    "
        switch value {
        case .object(let members):
            let sorted = members.sorted { $0.key > $1.key }
            let parts = sorted.map { inner + CanonicalJSONWriter.quoted($0.key) + " :  " + reversedKeys($0.value, indent: inner) }
            return "{\n" + parts.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let elements):
            return "[ " + elements.map { reversedKeys($0, indent: inner) }.joined(separator: " , ") + " ]"
        default:
            return String(decoding: CanonicalJSONWriter.write(value), as: UTF8.self)
        }
    }
}
