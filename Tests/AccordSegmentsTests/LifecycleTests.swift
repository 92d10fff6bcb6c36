import AccordPolicy
import AccordSegments
import Foundation
import Testing

/// Lifecycle stages: the first stage whose rule holds, with the deciding entry, the same whatever
/// order the records and their entries arrive in.
@Suite("Lifecycle stages")
struct LifecycleTests {
    typealias F = SegmentFixtures

    static let cases: [(String, [FactInteraction], [String: [String]], String, String?)] = [
        ("purchase yesterday", [F.purchase(daysAgo: 1)], [:], "active", "interaction:e"),
        ("purchase 365 days ago is still active", [F.purchase(daysAgo: 365)], [:], "active", "interaction:e"),
        ("purchase 400 days ago", [F.purchase(daysAgo: 400)], [:], "lapsed", "interaction:e"),
        ("purchase 800 days ago, customer_since set", [F.purchase(daysAgo: 800)], ["customer_since": ["2019-01-01"]], "past", nil),
        ("customer_since only", [], ["customer_since": ["2019-01-01"]], "past", nil),
        ("nothing", [], ["given_name": ["Ana"]], "prospect", nil),
        ("a call is no purchase", [FactInteraction(type: "call", channel: "phone", atMillis: F.now - F.day, record: "retail/C-1", author: "retail",
                                                   attribute: "interaction:c")], [:], "prospect", nil),
        ("a purchase in the future does not count", [F.purchase(daysAgo: -2)], [:], "prospect", nil),
    ]

    @Test(arguments: 0..<cases.count)
    func stageRules(index: Int) {
        let (name, interactions, values, stage, entry) = Self.cases[index]
        let facts = PersonFacts(id: "p1", records: ["retail/C-1"], units: ["retail"], values: values, valueLineage: ["customer_since": "retail/C-1 by retail"],
                                interactions: interactions)
        let assignment = LifecycleEvaluator.assign(facts, model: F.policy.lifecycle!, asOf: F.now)
        #expect(assignment.stage == stage, "\(name)")
        #expect(assignment.interaction?.attribute == entry, "\(name)")
        if stage == "past" {
            #expect(assignment.attribute == "customer_since")
            #expect(assignment.attributeSource == "retail/C-1 by retail")
        }
    }

    @Test func theNewestMatchingEntryDecidesWhateverTheOrder() {
        // Two nodes may hold the records' entries in different orders; ties on time break by record, then register.
        var events = [F.purchase(daysAgo: 10, record: "webshop/W-9", id: "b"), F.purchase(daysAgo: 3, record: "retail/C-1", id: "a"),
                      F.purchase(daysAgo: 3, record: "retail/C-0", id: "z"), F.purchase(daysAgo: 3, record: "retail/C-0", id: "y"),
                      F.purchase(daysAgo: 500, record: "retail/C-2", id: "c")]
        var answers = Set<String>()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            events.shuffle(using: &generator)
            let facts = PersonFacts(id: "p", records: ["retail/C-0", "retail/C-1", "retail/C-2", "webshop/W-9"].shuffled(), units: ["retail", "webshop"],
                                    values: [:], interactions: events)
            let assignment = LifecycleEvaluator.assign(facts, model: F.policy.lifecycle!, asOf: F.now)
            answers.insert("\(assignment.stage ?? "-") \(assignment.interaction?.record ?? "") \(assignment.interaction?.attribute ?? "")")
        }
        #expect(answers == ["active retail/C-0 interaction:y"])
    }

    @Test func compositeRulesAndTheirLineage() throws {
        let text = SegmentFixtures.text.replacingOccurrences(of: #"{"name": "active", "rule": {"interaction": {"type": "purchase", "withinDays": 365}}}"#,
            with: #"{"name": "active", "rule": {"all": [{"not": {"attribute": "iban"}}, {"any": [{"interaction": {"type": "call"}}, {"interaction": {"channel": "web", "withinDays": 30}}]}]}}"#)
        let policy = try Policy.parse(Array(text.utf8))
        let web = F.purchase(daysAgo: 5, id: "w", channel: "web")
        let facts = PersonFacts(id: "p", records: ["retail/C-1"], units: ["retail"], values: [:], interactions: [web])
        let assignment = LifecycleEvaluator.assign(facts, model: policy.lifecycle!, asOf: F.now)
        #expect(assignment.stage == "active")
        #expect(assignment.interaction == web)
        #expect(assignment.rule == "(not iban exists and (call interaction or any interaction on web within 30 days))")
        var banked = facts
        banked.values["iban"] = ["DE00"]
        #expect(LifecycleEvaluator.assign(banked, model: policy.lifecycle!, asOf: F.now).stage == "lapsed")
        #expect(policy.canonicalJSON() == (try Policy.parse(policy.canonicalJSON())).canonicalJSON())
    }

    @Test(arguments: [
        (#""lifecycle": {"stages": []}"#, "$.lifecycle.stages", PolicyError.Code.invalidValue),
        (#""lifecycle": {"stages": [{"name": "a", "rule": "sometimes"}]}"#, "$.lifecycle.stages[0].rule", .invalidValue),
        (#""lifecycle": {"stages": [{"name": "a", "rule": "always"}, {"name": "a", "rule": "always"}]}"#, "$.lifecycle.stages[1].name", .duplicate),
        (#""lifecycle": {"stages": [{"name": "a", "rule": {"interaction": {"type": "dance"}}}]}"#, "$.lifecycle.stages[0].rule.interaction.type", .unknownReference),
        (#""lifecycle": {"stages": [{"name": "a", "rule": {"attribute": "shoe_size"}}]}"#, "$.lifecycle.stages[0].rule.attribute", .unknownReference),
        (#""lifecycle": {"stages": [{"name": "a", "rule": {"any": [{"interaction": {"withinDays": 0}}]}}]}"#,
         "$.lifecycle.stages[0].rule.any[0].interaction.withinDays", .invalidValue),
        (#""lifecycle": {"stages": [{"name": "a", "rule": {"all": [], "any": []}}]}"#, "$.lifecycle.stages[0].rule", .invalidValue),
        (#""lifecycle": {"stages": [{"name": "a", "rule": "always", "color": "red"}]}"#, "$.lifecycle.stages[0].color", .unknownKey),
    ])
    func malformedLifecyclesNameTheirPath(section: String, path: String, code: PolicyError.Code) {
        let start = SegmentFixtures.text.range(of: #""lifecycle""#)!.lowerBound
        let text = String(SegmentFixtures.text[..<start]) + section + "}"
        let error = #expect(throws: PolicyError.self) { try Policy.parse(Array(text.utf8)) }
        #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.path == path, "\(error.map(String.init(describing:)) ?? "")")
    }
}
