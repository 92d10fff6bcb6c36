import AccordModel
import AccordNode
import AccordPolicy
import Testing

@Suite("Effective consent")
struct ConsentEvaluationTests {
    let policy = try! Policy.parse(samplePolicy)
    let record = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "C-1")

    func entry(_ channel: String, _ purpose: String, _ scope: ConsentScope, _ choice: ConsentDecision.Choice, at: Int64,
               by author: String = "retail", expires: Int64? = nil, frequency: String? = nil) -> ConsentEntry {
        ConsentEntry(
            topic: try! ConsentTopic(channel: channel, purpose: purpose, scope: scope),
            decision: ConsentDecision(choice: choice, frequency: frequency, expressed: true, decidedAtMillis: at, method: "web-form",
                                      noticeVersion: "v1", noticeHash: [], expiresAtMillis: expires, collectedBy: UnitID(unchecked: author)),
            author: UnitID(unchecked: author), record: record)
    }

    func check(_ entries: [ConsentEntry], unit: String, _ channel: String = "email", _ purpose: String = "marketing") -> ConsentVerdict {
        ConsentEvaluation.evaluate(entries, unit: UnitID(unchecked: unit), channel: channel, purpose: purpose, policy: policy, now: 1_000)
    }

    let retail = ConsentScope.unit(UnitID(unchecked: "retail"))

    @Test func nothingRecordedMeansNo() {
        let verdict = check([], unit: "retail")
        #expect(!verdict.allowed && verdict.reason.contains("no consent recorded"))
    }

    @Test func atomicOptOutDoesNotSpreadAcrossUnits() {
        // Retail's email-marketing opt-out; insurance holds a company-wide service opt-in.
        let entries = [entry("email", "marketing", retail, .optOut, at: 500),
                       entry("email", "service", .company, .optIn, at: 100, by: "insurance")]
        #expect(!check(entries, unit: "retail").allowed)
        #expect(check(entries, unit: "insurance", "email", "service").allowed)
        #expect(check(entries, unit: "retail", "email", "service").allowed, "the opt-out was for marketing only")
        #expect(!check(entries, unit: "insurance").allowed, "insurance has no marketing consent of its own")
    }

    @Test(arguments: [
        // (entries by time, asking unit, expected, reason fragment)
        ("unit opt-in", ["u:in:100"], "retail", true, "opt-in"),
        ("later company opt-out wins over unit opt-in", ["u:in:100", "c:out:200"], "retail", false, "opt-out"),
        ("later unit opt-in wins over company opt-out", ["c:out:100", "u:in:200"], "retail", true, "opt-in"),
        ("tie: opt-out wins", ["u:in:300", "c:out:300"], "retail", false, "opt-out"),
        ("line of business covers webshop", ["l:in:100"], "webshop", true, "line=retail"),
        ("line of business does not cover insurance", ["l:in:100"], "insurance", false, "no consent"),
        ("another unit's scope does not count", ["u:in:100"], "webshop", false, "no consent"),
    ])
    func precedence(name: String, specs: [String], unit: String, allowed: Bool, fragment: String) {
        let entries = specs.map { spec -> ConsentEntry in
            let parts = spec.split(separator: ":")
            let scope: ConsentScope = switch parts[0] {
            case "u": retail
            case "l": .lineOfBusiness("retail")
            default: .company
            }
            return entry("email", "marketing", scope, parts[1] == "in" ? .optIn : .optOut, at: Int64(parts[2])!)
        }
        let verdict = check(entries, unit: unit)
        #expect(verdict.allowed == allowed, "\(name): \(verdict.reason)")
        #expect(verdict.reason.contains(fragment), "\(name): \(verdict.reason)")
    }

    @Test func doNotContactOverridesEverything() {
        let entries = [entry("all", "all", .company, .optOut, at: 100),
                       entry("email", "marketing", retail, .optIn, at: 900)]
        let verdict = check(entries, unit: "retail")
        #expect(!verdict.allowed && verdict.reason.contains("do-not-contact"))
        #expect(verdict.deciding?.topic.channel == "all")
    }

    @Test func expiredDecisionsDoNotCountAndOptDownCarriesItsFrequency() {
        let expired = [entry("email", "marketing", retail, .optIn, at: 100, expires: 900)]
        #expect(!check(expired, unit: "retail").allowed)
        #expect(check(expired, unit: "retail").reason.contains("expired"))
        let optDown = [entry("email", "marketing", retail, .optIn, at: 100, frequency: "monthly")]
        let verdict = check(optDown, unit: "retail")
        #expect(verdict.allowed && verdict.frequency == "monthly")
    }

    @Test func theSameEntriesInAnyOrderGiveTheSameAnswer() {
        var entries = [entry("email", "marketing", retail, .optIn, at: 300), entry("email", "marketing", .company, .optOut, at: 300, by: "insurance"),
                       entry("all", "marketing", .lineOfBusiness("retail"), .optIn, at: 200)]
        let first = check(entries, unit: "retail")
        for _ in 0..<20 {
            entries.shuffle()
            #expect(check(entries, unit: "retail") == first)
        }
    }
}
