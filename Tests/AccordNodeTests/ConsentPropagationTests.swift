import AccordModel
import AccordNode
import AccordPolicy
import Foundation
import Testing

/// Consent propagation rules: a unit-scoped opt-out widened to a line of business or the company,
/// only when the policy says so.
@Suite("Consent propagation rules")
struct ConsentPropagationTests {
    /// The sample policy with the given propagation rules in its consent model.
    static func policy(_ rules: String) -> Policy {
        try! Policy.parse(Array(SamplePolicy.text.replacingOccurrences(
            of: #""shareClass": "consent" },"#, with: #""shareClass": "consent", "propagation": [\#(rules)] },"#).utf8))
    }

    static let none = policy("")
    static let emailMarketingCompanyWide = policy(#"{ "channel": "email", "purpose": "marketing", "from": "unit", "to": "company" }"#)
    static let toTheLine = policy(#"{ "channel": "all", "purpose": "marketing", "from": "unit", "to": "line" }"#)
    static let onlyWebshops = policy(#"{ "channel": "email", "purpose": "marketing", "from": "unit", "to": "company", "units": ["webshop"] }"#)
    static let everythingCompanyWide = policy(#"{ "channel": "all", "purpose": "all", "from": "unit", "to": "company" }"#)

    func entry(_ channel: String, _ purpose: String, _ scope: ConsentScope, _ choice: ConsentDecision.Choice, at: Int64, by author: String) -> ConsentEntry {
        ConsentEntry(topic: try! ConsentTopic(channel: channel, purpose: purpose, scope: scope),
                     decision: ConsentDecision(choice: choice, expressed: true, decidedAtMillis: at, method: "web-form", noticeVersion: "v1",
                                               noticeHash: [], collectedBy: UnitID(unchecked: author)),
                     author: UnitID(unchecked: author), record: RecordKey(unchecked: UnitID(unchecked: author), localId: "C-1"))
    }

    func unitScope(_ unit: String) -> ConsentScope { .unit(UnitID(unchecked: unit)) }

    /// The atomic-opt-out scenario: retail's customer opts out of email marketing at retail only;
    /// insurance holds a company-wide opt-in for email marketing and service given earlier.
    var atomic: [ConsentEntry] {
        [entry("email", "marketing", .company, .optIn, at: 100, by: "insurance"),
         entry("email", "service", .company, .optIn, at: 100, by: "insurance"),
         entry("email", "marketing", unitScope("retail"), .optOut, at: 500, by: "retail")]
    }

    @Test(arguments: [
        // (rules, asking unit, channel, purpose, allowed, reason fragment)
        ("none", "retail", "email", "marketing", false, "opt-out consent:email:marketing:unit=retail"),
        ("none", "insurance", "email", "marketing", true, "opt-in consent:email:marketing:company"),
        ("none", "webshop", "email", "marketing", true, "opt-in"),
        ("none", "insurance", "email", "service", true, "opt-in"),
        ("company", "retail", "email", "marketing", false, "widened to company by consent propagation rule 0"),
        ("company", "insurance", "email", "marketing", false, "widened to company by consent propagation rule 0"),
        ("company", "webshop", "email", "marketing", false, "widened to company"),
        ("company", "insurance", "email", "service", true, "opt-in consent:email:service:company"),
        ("company", "insurance", "sms", "marketing", false, "no consent recorded"),
        ("line", "webshop", "email", "marketing", false, "widened to line=retail"),
        ("line", "insurance", "email", "marketing", true, "opt-in"),
        ("webshops only", "insurance", "email", "marketing", true, "opt-in"),
        ("everything", "insurance", "email", "service", true, "opt-in"),
    ])
    func theAtomicOptOutSpreadsOnlyAsARuleSays(rules: String, unit: String, channel: String, purpose: String, allowed: Bool, fragment: String) {
        let policy = switch rules {
        case "company": Self.emailMarketingCompanyWide
        case "line": Self.toTheLine
        case "webshops only": Self.onlyWebshops
        case "everything": Self.everythingCompanyWide
        default: Self.none
        }
        let verdict = ConsentEvaluation.evaluate(atomic, unit: UnitID(unchecked: unit), channel: channel, purpose: purpose, policy: policy, now: 1_000)
        #expect(verdict.allowed == allowed, "\(rules), \(unit) \(channel)/\(purpose): \(verdict.reason)")
        #expect(verdict.reason.contains(fragment), "\(rules), \(unit) \(channel)/\(purpose): \(verdict.reason)")
    }

    @Test func aWidenedAllAllOptOutIsADoNotContactAndOptInsAreNeverWidened() {
        let entries = [entry("all", "all", unitScope("webshop"), .optOut, at: 100, by: "webshop"),
                       entry("email", "service", .company, .optIn, at: 50, by: "insurance")]
        let verdict = ConsentEvaluation.evaluate(entries, unit: UnitID(unchecked: "insurance"), channel: "email", purpose: "service",
                                                 policy: Self.everythingCompanyWide, now: 1_000)
        #expect(!verdict.allowed && verdict.reason.contains("company-wide do-not-contact"), "\(verdict.reason)")
        #expect(verdict.deciding?.widenedBy?.from.scope == unitScope("webshop"))
        let optIn = [entry("email", "marketing", unitScope("retail"), .optIn, at: 100, by: "retail")]
        #expect(!ConsentEvaluation.evaluate(optIn, unit: UnitID(unchecked: "insurance"), channel: "email", purpose: "marketing",
                                            policy: Self.everythingCompanyWide, now: 1_000).allowed)
    }

    @Test func aLaterDecisionStillWinsOverAWidenedOptOut() {
        let entries = atomic + [entry("email", "marketing", unitScope("insurance"), .optIn, at: 900, by: "insurance")]
        let verdict = ConsentEvaluation.evaluate(entries, unit: UnitID(unchecked: "insurance"), channel: "email", purpose: "marketing",
                                                 policy: Self.emailMarketingCompanyWide, now: 1_000)
        #expect(verdict.allowed, "\(verdict.reason)")
    }

    @Test func theReceiptShowsTheDecisionAsGivenAndTheScopeItCountsIn() throws {
        let verdict = ConsentEvaluation.evaluate(atomic, unit: UnitID(unchecked: "insurance"), channel: "email", purpose: "marketing",
                                                 policy: Self.emailMarketingCompanyWide, now: 1_000)
        let deciding = try #require(verdict.deciding)
        let receipt = try #require(try JSONSerialization.jsonObject(with: ConsentReceipt.json(for: deciding, policy: Self.emailMarketingCompanyWide,
                                                                                               issuedAtMillis: 2_000)) as? [String: Any])
        let purpose = try #require(((receipt["services"] as? [[String: Any]])?.first?["purposes"] as? [[String: Any]])?.first)
        #expect(purpose["scope"] as? String == "unit=retail")
        #expect(purpose["effectiveScope"] as? String == "company")
        #expect(purpose["propagationRule"] as? Int == 0)
    }
}
