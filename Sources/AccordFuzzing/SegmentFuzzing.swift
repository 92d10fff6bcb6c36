import AccordPolicy
import AccordSegments

/// The segment filter language as a fuzz target: the lexer and parser, with and without the
/// vocabulary of a small policy, and the engine over a fixed table of five profiles.
///
/// Oracles: an error names a column inside the filter (1 to its length + 1); whatever parses with
/// the vocabulary parses without it to the same expression (the vocabulary only refuses names);
/// the canonical text of a parsed filter (``SegmentExpression/description``) parses back to an
/// equal expression unless it grew past the nesting or length limit; evaluated, a filter and its
/// negation split the table, and the audience plus the excluded by reason are the matching rows.
enum SegmentFuzzing {
    /// A policy with what the language can name: two units, a hidden attribute, consent, interactions.
    /// It has no lifecycle section: LeakSanitizer reported the `attribute` rule's indirect-enum box,
    /// held by this global, as leaked (most likely its pointer's tag bits hide the reference); the
    /// stages are set on the vocabulary instead.
    static let policy: Policy = {
        let text = #"""
            {"format":"accord-policy/1","federation":"acme","version":1,"defaults":{"country":"DE","dateOrder":"dayFirst"},"clock":{"maxFutureMillis":60000},
             "units":[{"id":"retail","roles":["unit"],"lineOfBusiness":"retail"},{"id":"insurance","roles":["unit"],"lineOfBusiness":"insurance"}],
             "shareClasses":[{"name":"identity","audience":"all"},{"name":"contact","audience":"all"},
                             {"name":"financial","audience":["insurance"]},{"name":"consent","audience":"all"},
                             {"name":"interactions","audience":["retail"]}],
             "attributes":[{"name":"given_name","type":"name","shareClass":"identity","pii":"direct"},
                           {"name":"email","type":"email","multiValued":true,"shareClass":"contact","pii":"direct"},
                           {"name":"city","type":"text","shareClass":"contact","pii":"indirect"},
                           {"name":"customer_since","type":"date","shareClass":"identity","pii":"none"},
                           {"name":"iban","type":"text","shareClass":"financial","pii":"sensitive"}],
             "consent":{"channels":["email","sms"],"purposes":["marketing","service"],"shareClass":"consent"},
             "interactions":{"shareClass":"interactions","retentionDays":{"purchase":730,"call":365}},
             "writeRules":[]}
            """#
        // Force-try: a fixed, valid document (the seeds test fails at once if it stops parsing).
        return try! Policy.parse(Array(text.utf8), source: "segment fuzz policy")
    }()

    /// What retail may name, with three lifecycle stages.
    static let vocabulary: SegmentVocabulary = {
        var vocabulary = SegmentVocabulary(policy: policy, unit: "retail")
        vocabulary.stages = ["active", "past", "prospect"]
        return vocabulary
    }()

    /// When the table is evaluated, milliseconds since 1970 (2026-01-01).
    static let asOf: Int64 = 1_767_225_600_000

    /// Five profiles covering every consent state, set values, interactions and stages.
    static let table: SegmentTable = {
        let day: Int64 = 86_400_000
        let keys = ["email", "sms"].flatMap { c in ["marketing", "service"].map { ConsentKey(channel: c, purpose: $0) } }
        var table = SegmentTable(stageNames: vocabulary.stages, unitNames: policy.units.map(\.id),
                                 attributes: policy.attributes.map(\.name).filter { vocabulary.attributes.contains($0) }, consentKeys: keys)
        func consent(_ status: ConsentStatus, limited: Bool = false) -> [ConsentKey: FactConsent] {
            Dictionary(uniqueKeysWithValues: keys.map { ($0, FactConsent(status: $0.channel == "email" ? status : .allowed, limited: limited)) })
        }
        func purchase(_ daysAgo: Int64, channel: String = "store") -> FactInteraction {
            FactInteraction(type: "purchase", channel: channel, atMillis: asOf - daysAgo * day, record: "retail/R", author: "retail", attribute: "interaction:e")
        }
        let people: [(PersonFacts, String?)] = [
            (PersonFacts(id: "p1", records: ["retail/1"], units: ["retail"], values: ["given_name": ["Ada"], "email": ["ada@example.com", "a@x.de"], "city": ["Berlin"]],
                         interactions: [purchase(10)], consent: consent(.allowed)), "active"),
            (PersonFacts(id: "p2", records: ["insurance/2"], units: ["insurance"], values: ["given_name": ["Grace"], "city": ["Köln"], "customer_since": ["2001-02-03"]],
                         consent: consent(.allowed, limited: true)), "past"),
            (PersonFacts(id: "p3", records: ["retail/3", "insurance/3"], units: ["retail", "insurance"], values: ["email": ["x@y.org"]],
                         interactions: [purchase(400, channel: "web"), FactInteraction(type: "call", channel: "phone", atMillis: asOf - day,
                                                                                           record: "retail/3", author: "retail", attribute: "interaction:c")],
                         consent: consent(.optOut)), "prospect"),
            (PersonFacts(id: "p4", records: ["retail/4"], units: ["retail"], values: ["email": ["dnc@example.com"], "city": ["berlin"]],
                         consent: consent(.doNotContact)), "prospect"),
            (PersonFacts(id: "p5", records: ["retail/5"], units: ["retail"], values: [:], consent: consent(.expired)), nil),
        ]
        for (person, stage) in people { table.append(person, stage: stage) }
        return table
    }()

    static func run(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        let length = text.unicodeScalars.count
        let expression: SegmentExpression
        do {
            expression = try SegmentParser.parse(text, vocabulary: vocabulary)
        } catch {
            FuzzTarget.check((1...length + 1).contains(error.column),
                             "error column \(error.column) outside a filter of \(length) characters")
            return false
        }
        FuzzTarget.check((try? SegmentParser.parse(text)) == expression, "the vocabulary changed what a filter means")
        let canonical = expression.description
        if nesting(expression) <= SegmentParser.maxDepth && canonical.unicodeScalars.count <= 4096 {
            let again = try? SegmentParser.parse(canonical, vocabulary: vocabulary)
            FuzzTarget.check(again == expression, "the canonical text \(canonical.prefix(200)) does not parse back to the same filter")
        }
        evaluate(expression)
        return true
    }

    /// The nesting the parser counts for the canonical text: one per `not` and per parenthesized
    /// `and`/`or`, one for the condition itself.
    static func nesting(_ expression: SegmentExpression) -> Int {
        switch expression {
        case .and(let a, let b), .or(let a, let b): 1 + max(nesting(a), nesting(b))
        case .not(let a): 1 + nesting(a)
        default: 1
        }
    }

    /// Runs the filter and its negation over the table for every channel and purpose.
    static func evaluate(_ expression: SegmentExpression) {
        let predicate = SegmentEngine.compile(expression, table: table, asOf: asOf)
        let negation = SegmentEngine.compile(.not(expression), table: table, asOf: asOf)
        for row in 0..<table.count {
            FuzzTarget.check(predicate(row) != negation(row), "row \(row) matches both the filter and its negation, or neither")
        }
        for channel in ["email", "sms"] {
            for purpose in ["marketing", "service"] {
                let outcome = SegmentEngine.run(predicate, table: table, channel: channel, purpose: purpose,
                                                contactAttributes: channel == "email" ? ["email"] : [], threads: 1)
                let complement = SegmentEngine.run(negation, table: table, channel: channel, purpose: purpose,
                                                   contactAttributes: channel == "email" ? ["email"] : [], threads: 1)
                FuzzTarget.check(outcome.matched + complement.matched == table.count, "a filter and its negation do not cover the table")
                FuzzTarget.check(outcome.audience.count + outcome.excluded.values.reduce(0, +) == outcome.matched,
                                 "audience and exclusions do not add up to the matching rows")
                FuzzTarget.check(outcome.audience.allSatisfy { predicate(Int($0)) }, "a row in the audience does not match")
                FuzzTarget.check(outcome.optDown <= outcome.audience.count && outcome.crossOpt <= (outcome.excluded[.optOut] ?? 0),
                                 "opt-down or cross-opt counts exceed their groups")
            }
        }
    }

    /// Real filters, from the README and the segment tests.
    static let seeds: [[UInt8]] = [
        #"stage in (prospect, active) and city = "berlin" and email exists"#,
        #"city = "berlin""#,
        #"not (stage = past or known_to(insurance)) and consent(email, marketing)"#,
        #"interaction(type = purchase, channel = store, within 365 days) or interaction()"#,
        #"given_name prefix "A" and email contains "@example." and city != "Köln""#,
        #"stage != prospect and known_to(retail, insurance) and customer_since exists"#,
        #"(((consent(sms, service))))"#,
        #"email = "say \"hi\" \\ there""#,
    ].map { Array($0.utf8) }
}
