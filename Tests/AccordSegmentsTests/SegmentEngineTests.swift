import AccordPolicy
import AccordSegments
import Testing

/// Column-wise evaluation: filters mean what they say, and consent is always applied.
@Suite("Segment evaluation")
struct SegmentEngineTests {
    typealias F = SegmentFixtures
    static let keys = ["email", "sms"].flatMap { c in ["marketing", "service"].map { ConsentKey(channel: c, purpose: $0) } }

    /// A table over facts for retail, stages computed as of the fixture's now.
    static func table(_ people: [PersonFacts], unit: String = "retail") -> SegmentTable {
        let vocabulary = SegmentVocabulary(policy: F.policy, unit: unit)
        var table = SegmentTable(stageNames: vocabulary.stages, unitNames: F.policy.units.map(\.id),
                                 attributes: F.policy.attributes.map(\.name).filter { vocabulary.attributes.contains($0) }, consentKeys: keys)
        for person in people { table.append(person, stage: LifecycleEvaluator.assign(person, model: F.policy.lifecycle!, asOf: F.now).stage) }
        return table
    }

    static func run(_ filter: String, _ table: SegmentTable, channel: String = "email", purpose: String = "marketing",
                    contact: [String]? = ["email"], threads: Int = 2) throws -> SegmentOutcome {
        let expression = try SegmentParser.parse(filter, vocabulary: SegmentVocabulary(policy: F.policy, unit: "retail"))
        return SegmentEngine.run(SegmentEngine.compile(expression, table: table, asOf: F.now), table: table, channel: channel, purpose: purpose,
                                 contactAttributes: contact, threads: threads)
    }

    static let people: [PersonFacts] = [
        PersonFacts(id: "p1", records: ["retail/C-1"], units: ["retail"], values: ["city": ["Berlin"], "email": ["a@x.org"], "postcode": ["10115"]],
                    interactions: [F.purchase(daysAgo: 3, channel: "web")], consent: [ConsentKey(channel: "email", purpose: "marketing"): FactConsent(status: .allowed)]),
        PersonFacts(id: "p2", records: ["webshop/W-1"], units: ["webshop"], values: ["city": ["berlin"], "email": ["b@y.org", "b2@x.org"]],
                    consent: [ConsentKey(channel: "email", purpose: "marketing"): FactConsent(status: .optOut),
                              ConsentKey(channel: "sms", purpose: "marketing"): FactConsent(status: .allowed)]),
        PersonFacts(id: "p3", records: ["retail/C-3", "insurance/I-3"], units: ["retail", "insurance"], values: ["city": ["Hamburg"], "customer_since": ["2020-01-01"]],
                    consent: [ConsentKey(channel: "email", purpose: "marketing"): FactConsent(status: .allowed, limited: true)]),
        PersonFacts(id: "p4", records: ["retail/C-4"], units: ["retail"], values: ["email": ["d@x.org"]],
                    consent: [ConsentKey(channel: "email", purpose: "marketing"): FactConsent(status: .doNotContact)]),
        PersonFacts(id: "p5", records: ["retail/C-5"], units: ["retail"], values: ["email": ["e@x.org"]],
                    consent: [ConsentKey(channel: "email", purpose: "marketing"): FactConsent(status: .expired)]),
    ]

    @Test(arguments: [
        (#"city = "BERLIN""#, ["p1", "p2"]),
        (#"city != "berlin""#, ["p3", "p4", "p5"]),
        (#"email contains "@x.""#, ["p1", "p2", "p4", "p5"]),
        (#"postcode prefix "10""#, ["p1"]),
        ("email exists and not phone exists", ["p1", "p2", "p4", "p5"]),
        ("stage = active", ["p1"]),
        ("stage in (past, active)", ["p1", "p3"]),
        ("stage != prospect", ["p1", "p3"]),
        ("known_to(insurance, webshop)", ["p2", "p3"]),
        ("consent(sms, marketing)", ["p2"]),
        ("interaction(type = purchase, channel = web, within 7 days)", ["p1"]),
        ("interaction(channel = store)", []),
        ("interaction(within 2 days)", []),
    ])
    func filtersSelectTheRightPeople(filter: String, ids: [String]) throws {
        let table = Self.table(Self.people)
        let expression = try SegmentParser.parse(filter, vocabulary: SegmentVocabulary(policy: F.policy, unit: "retail"))
        let predicate = SegmentEngine.compile(expression, table: table, asOf: F.now)
        #expect((0..<table.count).filter(predicate).map { table.ids[$0] } == ids)
    }

    @Test func consentExclusionsAreCountedByReason() throws {
        let outcome = try Self.run("known_to(retail, webshop)", Self.table(Self.people))
        #expect(outcome.matched == 5)
        #expect(outcome.audience == [0], "p1 only: p3 has no e-mail address")
        #expect(outcome.excluded == [.optOut: 1, .noContactPoint: 1, .doNotContact: 1, .expiredConsent: 1])
        #expect(outcome.crossOpt == 1, "p2 opted out of e-mail but may still be reached by sms")
        let sms = try Self.run("known_to(retail, webshop)", Self.table(Self.people), channel: "sms", contact: nil)
        #expect(sms.audience == [1])
        #expect(sms.excluded[.noConsent] == 4)
        let limited = try Self.run("stage = past", Self.table(Self.people), contact: nil)
        #expect(limited.optDown == 1)
    }

    /// Property: over random people with random consent, no audience row is anyone whose consent
    /// for the channel and purpose is not an opt-in, or who has no contact point, whatever the filter
    /// and the number of threads; and every matching person is either in the audience or excluded once.
    @Test func consentIsAlwaysAppliedOverRandomConsents() throws {
        var generator = SeededRandom(seed: 9)
        let statuses = ConsentStatus.allCases
        let filters = ["known_to(retail)", "stage = active or email exists", #"not city = "x""#, "consent(sms, marketing)", "interaction()"]
        for round in 0..<20 {
            let people = (0..<400).map { index -> PersonFacts in
                var consent: [ConsentKey: FactConsent] = [:]
                for key in Self.keys where generator.next() % 5 != 0 {
                    consent[key] = FactConsent(status: statuses[Int(generator.next() % UInt64(statuses.count))], limited: generator.next() % 4 == 0)
                }
                let city = ["Berlin", "x", "Bonn"][Int(generator.next() % 3)]
                var values: [String: [String]] = ["city": [city]]
                if generator.next() % 3 != 0 { values["email"] = ["p\(index)@x.org"] }
                let interactions = generator.next() % 2 == 0 ? [F.purchase(daysAgo: Int64(generator.next() % 900))] : []
                return PersonFacts(id: "p\(index)", records: ["retail/C-\(index)"], units: generator.next() % 2 == 0 ? ["retail"] : ["webshop"],
                                   values: values, interactions: interactions, consent: consent)
            }
            let table = Self.table(people)
            for (channel, purpose) in [("email", "marketing"), ("sms", "service")] {
                let outcome = try Self.run(filters[round % filters.count], table, channel: channel, purpose: purpose,
                                           contact: channel == "email" ? ["email"] : nil, threads: 1 + round % 3)
                let key = ConsentKey(channel: channel, purpose: purpose)
                for row in outcome.audience.map(Int.init) {
                    #expect(people[row].consent[key]?.status == .allowed, "row \(row) is in the audience without an opt-in")
                    if channel == "email" { #expect(people[row].values["email"] != nil) }
                }
                let optedOut = people.indices.filter { [.optOut, .doNotContact].contains(people[$0].consent[key]?.status) }
                #expect(Set(optedOut).isDisjoint(with: outcome.audience.map(Int.init)))
                #expect(outcome.audience.count + outcome.excluded.values.reduce(0, +) == outcome.matched)
                #expect(outcome.audience == outcome.audience.sorted(), "rows stay in table order across threads")
            }
        }
    }

    @Test func aUnitsTableHoldsOnlyAttributesInItsAudiences() {
        let person = PersonFacts(id: "p", records: ["insurance/I-1"], units: ["insurance"], values: ["iban": ["DE89"], "city": ["Köln"]])
        #expect(Self.table([person], unit: "retail").attributes["iban"] == nil)
        #expect(Self.table([person], unit: "retail").attributes["city"] != nil)
        #expect(Self.table([person], unit: "insurance").attributes["iban"]?.dictionary == ["de89"])
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
