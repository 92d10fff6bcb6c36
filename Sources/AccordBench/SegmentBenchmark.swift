import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordSegments
import Foundation

/// Segment evaluation over N consolidated profiles, for unit retail of the sample policy: the filter
/// `stage in (active, lapsed) and country = "DE" and consent(sms, marketing)` (people reachable by
/// sms) with consent applied for email and marketing (exclusions, cross-opt, opt-down, contact points). The input is built
/// outside the timed part the way a node builds it: each profile's facts (records on 1 to 3 units,
/// golden values, purchases over three years, consent entries at different scopes, some with a
/// frequency, some expired, a few company-wide do-not-contacts), its stage from the policy's
/// lifecycle, and effective consent from its entries (``ConsentEvaluation``), appended to a
/// ``SegmentTable``. Timed: compiling the filter and running it (the node's evaluation path).
enum SegmentBenchmark {
    static let filter = "stage in (active, lapsed) and country = \"DE\" and consent(sms, marketing)"
    /// A filter most profiles match, so consent, reach and the audience are worked out for most rows.
    static let broadFilter = "stage != prospect and segment != \"business\" and not consent(mail, research)"

    static func run(_ arguments: [String]) throws {
        let profiles = Int(Figures.option("profiles", in: arguments) ?? "") ?? 1_000_000
        let repeats = Int(Figures.option("repeat", in: arguments) ?? "") ?? 5
        let seed = UInt64(Figures.option("seed", in: arguments) ?? "") ?? 42
        let policy = try Policy.parse(Array(SamplePolicy.text.utf8), source: "sample policy")
        guard let lifecycle = policy.lifecycle, let model = policy.consent else { throw BenchmarkError("the sample policy lacks lifecycle or consent") }
        let unit = try UnitID("retail")
        let vocabulary = SegmentVocabulary(policy: policy, unit: unit.rawValue)
        let visible = policy.attributes.map(\.name).filter { vocabulary.attributes.contains($0) }
        let keys = model.channels.sorted().flatMap { channel in model.purposes.sorted().map { ConsentKey(channel: channel, purpose: $0) } }
        print("# segments benchmark: \(profiles) profiles, unit retail, channel email, purpose marketing; filter \(filter); broad filter \(broadFilter)")

        let now: Int64 = 1_796_000_000_000
        var table = SegmentTable(stageNames: vocabulary.stages, unitNames: policy.units.map(\.id), attributes: visible, consentKeys: keys)
        var generator = SeededGenerator(seed: seed)
        let buildSeconds = try Figures.time {
            for index in 0..<profiles {
                let person = try generatedFacts(index, generator: &generator, policy: policy, unit: unit, keys: keys, now: now)
                table.append(person, stage: LifecycleEvaluator.assign(person, model: lifecycle, asOf: now).stage)
            }
        }
        let contacts = policy.attributes.filter { $0.type == .email }.map(\.name).filter(visible.contains)
        let rssBefore = Figures.peakRSSMiB()
        /// The median and the slowest of `repeats` evaluations (compile and run), and the outcome.
        func measure(_ text: String) throws -> (median: Double, max: Double, outcome: SegmentOutcome) {
            let expression = try SegmentParser.parse(text, vocabulary: vocabulary)
            var seconds: [Double] = []
            var outcome: SegmentOutcome?
            for _ in 0..<max(repeats, 1) {
                seconds.append(Figures.time {
                    let predicate = SegmentEngine.compile(expression, table: table, asOf: now)
                    outcome = SegmentEngine.run(predicate, table: table, channel: "email", purpose: "marketing", contactAttributes: contacts)
                })
            }
            seconds.sort()
            return (seconds[seconds.count / 2], seconds.last ?? 0, outcome!)
        }
        let (median, slowest, outcome) = try measure(filter)
        let broad = try measure(broadFilter)
        Figures.report("segments.profiles", Double(profiles), "profiles")
        Figures.report("segments.build_seconds", buildSeconds, "s", decimals: 1)
        Figures.report("segments.matched", Double(outcome.matched), "profiles")
        Figures.report("segments.audience", Double(outcome.audience.count), "profiles")
        Figures.report("segments.excluded", Double(outcome.excluded.values.reduce(0, +)), "profiles")
        Figures.report("segments.cross_opt", Double(outcome.crossOpt), "profiles")
        Figures.report("segments.opt_down", Double(outcome.optDown), "profiles")
        Figures.report("segments.evaluation_seconds", median, "s", goal: "≤ 1 s for 1,000,000 profiles", decimals: 3)
        Figures.report("segments.evaluation_max_seconds", slowest, "s", decimals: 3)
        Figures.report("segments.profiles_per_second", Double(profiles) / max(median, 1e-9), "profiles/s")
        Figures.report("segments.broad_matched", Double(broad.outcome.matched), "profiles")
        Figures.report("segments.broad_audience", Double(broad.outcome.audience.count), "profiles")
        Figures.report("segments.broad_evaluation_seconds", broad.median, "s", goal: "≤ 1 s for 1,000,000 profiles", decimals: 3)
        Figures.report("segments.broad_evaluation_max_seconds", broad.max, "s", decimals: 3)
        Figures.report("segments.peak_rss_table", rssBefore, "MiB", decimals: 1)
        Figures.report("segments.peak_rss", Figures.peakRSSMiB(), "MiB", decimals: 1)
    }

    private static let units = ["retail", "insurance", "support", "webshop"]
    private static let countries = ["DE", "DE", "DE", "DE", "DE", "DE", "AT", "CH", "FR", "NL"]
    private static let segments = ["standard", "standard", "standard", "premium", "business"]
    private static let channels = ["email", "sms", "phone", "mail"]
    private static let purposes = ["marketing", "service", "research"]

    /// One generated profile's facts, as ``Node/segmentFacts(unit:refresh:)`` builds them.
    private static func generatedFacts(_ index: Int, generator: inout SeededGenerator, policy: Policy, unit: UnitID,
                                       keys: [ConsentKey], now: Int64) throws -> PersonFacts {
        let id = "P-\(index)"
        var holders = Set<String>()
        for _ in 0..<Int.random(in: 1...3, using: &generator) { holders.insert(units.randomElement(using: &generator)!) }
        let ordered = holders.sorted()
        let records = ordered.map { "\($0)/C-\(index)" }
        var values: [String: [String]] = ["given_name": ["Name\(index % 5_000)"], "family_name": ["Family\(index % 20_000)"],
                                          "country": [countries.randomElement(using: &generator)!],
                                          "city": ["City\(Int.random(in: 0..<2_000, using: &generator))"]]
        if Double.random(in: 0..<1, using: &generator) < 0.8 { values["email"] = ["p\(index)@example.com"] }
        if Double.random(in: 0..<1, using: &generator) < 0.6 { values["phone"] = ["+4930\(1_000_000 + index)"] }
        if Double.random(in: 0..<1, using: &generator) < 0.7 { values["postcode"] = [String(10_000 + index % 89_999)] }
        if Double.random(in: 0..<1, using: &generator) < 0.5 { values["customer_since"] = ["20\(10 + index % 15)-01-01"] }
        values["segment"] = [segments.randomElement(using: &generator)!]
        var interactions: [FactInteraction] = []
        for event in 0..<Int.random(in: 0...4, using: &generator) {
            let record = records.randomElement(using: &generator)!
            let daysAgo = Int64.random(in: 0..<1_100, using: &generator)
            interactions.append(FactInteraction(type: "purchase", channel: Bool.random(using: &generator) ? "store" : "web",
                                                atMillis: now - daysAgo * LifecycleEvaluator.dayMillis, record: record,
                                                author: String(record.prefix { $0 != "/" }), attribute: "interaction:e\(index)-\(event)"))
        }
        var entries: [ConsentEntry] = []
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            let holder = ordered.randomElement(using: &generator)!
            let author = try UnitID(holder)
            let scope: ConsentScope
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5: scope = .unit(author)
            case 5..<7: scope = .lineOfBusiness(policy.unit(holder)?.lineOfBusiness ?? "retail")
            default: scope = .company
            }
            let optIn = Double.random(in: 0..<1, using: &generator) < 0.75
            let decided = now - Int64.random(in: 0..<900, using: &generator) * LifecycleEvaluator.dayMillis
            let expires: Int64? = Double.random(in: 0..<1, using: &generator) < 0.1 ? decided + 365 * LifecycleEvaluator.dayMillis : nil
            let decision = ConsentDecision(choice: optIn ? .optIn : .optOut, frequency: optIn && Int.random(in: 0..<6, using: &generator) == 0 ? "monthly" : nil,
                                           expressed: true, decidedAtMillis: decided, method: "web-form", noticeVersion: "v1", noticeHash: [],
                                           expiresAtMillis: expires, collectedBy: author)
            let topic = try ConsentTopic(channel: channels.randomElement(using: &generator)!, purpose: purposes.randomElement(using: &generator)!, scope: scope)
            entries.append(ConsentEntry(topic: topic, decision: decision, author: author, record: RecordKey(unchecked: author, localId: "C-\(index)")))
        }
        if Int.random(in: 0..<100, using: &generator) == 0, let holder = ordered.first {
            let author = try UnitID(holder)
            let topic = try ConsentTopic(channel: ConsentModel.everything, purpose: ConsentModel.everything, scope: .company)
            entries.append(ConsentEntry(topic: topic, decision: ConsentDecision(choice: .optOut, expressed: true, decidedAtMillis: now - 86_400_000,
                                                                                method: "call-center", noticeVersion: "v1", noticeHash: [], collectedBy: author),
                                        author: author, record: RecordKey(unchecked: author, localId: "C-\(index)")))
        }
        var consent: [ConsentKey: FactConsent] = [:]
        for key in keys {
            consent[key] = ConsentEvaluation.status(entries, unit: unit, channel: key.channel, purpose: key.purpose, policy: policy, now: now)
        }
        return PersonFacts(id: id, records: records, units: holders, values: values, interactions: interactions, consent: consent)
    }
}
