import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation
import Synchronization
import Testing

/// Consent movements between two recordings of a segment (cross-opt, opt-down), from consent
/// entries at chosen times, and their recording by `recordSegmentFigures`.
@Suite("Segment figures: consent movements between recordings")
struct SegmentMovementTests {
    static let policy = try! Policy.parse(Array(SamplePolicy.text.utf8), source: "sample")
    static let hour: Int64 = 3_600_000
    /// The previous recording; the current one is a day later.
    static let since: Int64 = 1_790_000_000_000
    static let at = since + 24 * hour
    static let retail = UnitID(unchecked: "retail")

    /// A consent entry on retail/C-1 decided `offset` ms after the previous recording (negative: before it).
    static func entry(_ channel: String, _ choice: ConsentDecision.Choice, _ offset: Int64, scope: ConsentScope = .company,
                      purpose: String = "marketing", frequency: String? = nil, expires: Int64? = nil, author: String = "retail") -> ConsentEntry {
        let unit = UnitID(unchecked: author)
        return ConsentEntry(topic: try! ConsentTopic(channel: channel, purpose: purpose, scope: scope),
                            decision: ConsentDecision(choice: choice, frequency: frequency, expressed: true, decidedAtMillis: since + offset,
                                                      method: "web-form", noticeVersion: "v1", noticeHash: [], expiresAtMillis: expires, collectedBy: unit),
                            author: unit, record: RecordKey(unchecked: unit, localId: "C-1"))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var entries: [ConsentEntry]
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no decision since the previous recording", entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour)], expected: []),
        Case(name: "opted out of email, sms allowed before and now: still reachable",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour), entry("email", .optOut, 2 * hour, scope: .unit(retail))],
             expected: ["cross-opt-reachable email>sms"]),
        Case(name: "opted out of email and into sms since: opted in elsewhere",
             entries: [entry("email", .optIn, -10 * hour), entry("email", .optOut, 2 * hour, scope: .unit(retail)), entry("sms", .optIn, 3 * hour)],
             expected: ["cross-opt-opted-in email>sms"]),
        Case(name: "a newly allowed channel is preferred over one allowed before, then by name",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -10 * hour), entry("phone", .optIn, 1 * hour),
                       entry("mail", .optIn, 1 * hour), entry("email", .optOut, 2 * hour, scope: .unit(retail))],
             expected: ["cross-opt-opted-in email>mail"]),
        Case(name: "an opt-out with no other channel allowed is a plain opt-out",
             entries: [entry("email", .optIn, -10 * hour), entry("email", .optOut, 2 * hour, scope: .unit(retail))], expected: []),
        Case(name: "already opted out before: no movement",
             entries: [entry("email", .optOut, -10 * hour, scope: .unit(retail)), entry("email", .optOut, 2 * hour),
                       entry("sms", .optIn, -9 * hour)], expected: []),
        Case(name: "a company-wide do-not-contact is not a channel shift",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour), entry("all", .optOut, 2 * hour, purpose: "all")], expected: []),
        Case(name: "another unit's own opt-out does not move retail's consent",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour),
                       entry("email", .optOut, 2 * hour, scope: .unit(UnitID(unchecked: "insurance")), author: "insurance")], expected: []),
        Case(name: "an opt-out decided after this recording does not count yet",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour), entry("email", .optOut, 25 * hour)], expected: []),
        Case(name: "the other channel's consent expired by now: a plain opt-out",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour, expires: since + 1 * hour),
                       entry("email", .optOut, 2 * hour, scope: .unit(retail))], expected: []),
        Case(name: "an unlimited opt-in limited to monthly: opt-down",
             entries: [entry("email", .optIn, -10 * hour), entry("email", .optIn, 4 * hour, scope: .unit(retail), frequency: "monthly")],
             expected: ["opt-down email>email"]),
        Case(name: "weekly changed to monthly: opt-down",
             entries: [entry("email", .optIn, -10 * hour, frequency: "weekly"), entry("email", .optIn, 4 * hour, scope: .unit(retail), frequency: "monthly")],
             expected: ["opt-down email>email"]),
        Case(name: "a limited opt-in with no earlier decision held (its register replaced the unlimited one): opt-down",
             entries: [entry("email", .optIn, 4 * hour, frequency: "monthly")], expected: ["opt-down email>email"]),
        Case(name: "opted out before, back with a limited opt-in: an opt-in, not an opt-down",
             entries: [entry("email", .optOut, -10 * hour), entry("email", .optIn, 4 * hour, scope: .unit(retail), frequency: "monthly")], expected: []),
        Case(name: "the same frequency confirmed again: no movement",
             entries: [entry("email", .optIn, -10 * hour, frequency: "monthly"), entry("email", .optIn, 4 * hour, scope: .unit(retail), frequency: "monthly")],
             expected: []),
        Case(name: "another purpose's decisions do not count for marketing",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -9 * hour), entry("email", .optOut, 2 * hour, purpose: "service")],
             expected: []),
        Case(name: "opted out of two channels, reachable on a third: two movements",
             entries: [entry("email", .optIn, -10 * hour), entry("sms", .optIn, -10 * hour), entry("phone", .optIn, -10 * hour),
                       entry("email", .optOut, 2 * hour), entry("sms", .optOut, 3 * hour)],
             expected: ["cross-opt-reachable email>phone", "cross-opt-reachable sms>phone"]),
    ]

    @Test("movements of one person", arguments: cases)
    func movements(_ example: Case) {
        let found = ConsentMovements.of(example.entries, since: Self.since, at: Self.at, unit: Self.retail, purpose: "marketing", policy: Self.policy)
        #expect(found.map { "\($0.kind) \($0.from)>\($0.to)" } == example.expected)
        // The same entries in another order give the same movements.
        #expect(ConsentMovements.of(example.entries.reversed(), since: Self.since, at: Self.at, unit: Self.retail, purpose: "marketing",
                                    policy: Self.policy) == found)
    }

    @Test("a verdict's reason names the deciding decision's time in UTC (formatted without a date formatter)", arguments: [
        (Int64(1_790_000_000_000), "2026-09-21T14:13:20Z"), (951_825_600_000, "2000-02-29T12:00:00Z"), (-86_400_001, "1969-12-30T23:59:59Z"),
    ])
    func reasonTime(_ millis: Int64, _ expected: String) {
        let decided = Self.entry("email", .optIn, millis - Self.since)
        let verdict = ConsentEvaluation.evaluate([decided], unit: Self.retail, channel: "email", purpose: "marketing", policy: Self.policy, now: Self.at)
        #expect(verdict.allowed && verdict.reason.contains("decided \(expected)"), "\(verdict.reason)")
    }

    @Test func movementsAreCountedPerKindAndChannels() {
        let moves = ConsentMovements.count([
            .init(kind: "opt-down", from: "email", to: "email"), .init(kind: "cross-opt-reachable", from: "email", to: "sms"),
            .init(kind: "opt-down", from: "email", to: "email"), .init(kind: "cross-opt-opted-in", from: "sms", to: "email"),
        ])
        #expect(moves == [SegmentMove(kind: "cross-opt-reachable", from: "email", to: "sms", people: 1),
                          SegmentMove(kind: "cross-opt-opted-in", from: "sms", to: "email", people: 1),
                          SegmentMove(kind: "opt-down", from: "email", to: "email", people: 2)])
    }

    @Test("recordSegmentFigures stores the movements since the previous recording, and records once a day when due")
    func recordedBetweenRecordings() throws {
        try withTemporaryDirectory { directory in
            _ = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: Array(SamplePolicy.text.utf8))
            let clock = Atomic<UInt64>(UInt64(Self.since))
            let node = try Node(directory: directory + "/retail", now: { clock.load(ordering: .relaxed) })
            for (id, name) in [("C-1", "Ada"), ("C-2", "Bert"), ("C-3", "Cleo"), ("C-4", "Dora")] {
                try node.write(localId: id, values: ["given_name": .text(name), "family_name": .text(name + "son"),
                                                     "email": Value.makeSet(["\(name.lowercased())@example.com"])])
            }
            func decide(_ id: String, _ channel: String, _ choice: ConsentDecision.Choice, _ offset: Int64, frequency: String? = nil) throws {
                _ = try node.recordConsent(localId: id, topic: ConsentTopic(channel: channel, purpose: "marketing", scope: .unit(node.unit)),
                                           decision: ConsentDecision(choice: choice, frequency: frequency, expressed: true, decidedAtMillis: Self.since + offset,
                                                                     method: "web-form", noticeVersion: "v1", noticeHash: [], collectedBy: node.unit))
            }
            for id in ["C-1", "C-2", "C-3", "C-4"] { try decide(id, "email", .optIn, -48 * Self.hour) }
            try decide("C-1", "sms", .optIn, -48 * Self.hour)
            try node.saveSegment(name: "everyone", expression: "known_to(retail)", unit: node.unit, channel: "email", purpose: "marketing")
            let first = try #require(try node.recordSegmentFigures().first)
            #expect(first.audience == 4 && first.sinceMillis == nil && first.moves.isEmpty)

            clock.store(UInt64(Self.at), ordering: .relaxed)
            try decide("C-1", "email", .optOut, 1 * Self.hour)                     // still reachable by sms
            try decide("C-2", "email", .optOut, 2 * Self.hour)                     // and into sms
            try decide("C-2", "sms", .optIn, 2 * Self.hour)
            try decide("C-3", "email", .optIn, 3 * Self.hour, frequency: "monthly") // opt-down
            try decide("C-4", "email", .optOut, 4 * Self.hour)                     // a plain opt-out
            let second = try #require(try node.recordSegmentFigures().first)
            #expect(second.sinceMillis == Self.since)
            #expect(second.audience == 1 && second.excluded["opt-out"] == 3 && second.optDown == 1)
            let expected = [SegmentMove(kind: "cross-opt-reachable", from: "email", to: "sms", people: 1),
                            SegmentMove(kind: "cross-opt-opted-in", from: "email", to: "sms", people: 1),
                            SegmentMove(kind: "opt-down", from: "email", to: "email", people: 1)]
            #expect(second.moves == expected)
            let stored = try node.segmentFigures("everyone")
            #expect(stored.count == 2 && stored.last?.moves == expected && stored.last?.sinceMillis == Self.since && stored.first?.moves == [])

            // Due once a day: nothing more today, a recording the next day (with no movement since).
            clock.store(UInt64(Self.at + Self.hour), ordering: .relaxed)
            #expect(try node.recordSegmentFigures(dueOnly: true).isEmpty)
            clock.store(UInt64(Self.at + 25 * Self.hour), ordering: .relaxed)
            let third = try node.recordSegmentFigures(dueOnly: true)
            #expect(third.count == 1 && third.first?.moves == [] && third.first?.sinceMillis == Int64(Self.at))
            try node.deleteSegment("everyone")
            #expect(try node.segmentFigures("everyone").isEmpty)
        }
    }

    @Test("accord serve's check records each saved segment once a day, and only from current profiles")
    func servingNodeRecordsDaily() throws {
        try withTemporaryDirectory { directory in
            _ = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: Array(SamplePolicy.text.utf8))
            let clock = Atomic<UInt64>(UInt64(Self.since))
            let node = try Node(directory: directory + "/retail", now: { clock.load(ordering: .relaxed) })
            try node.write(localId: "C-1", values: ["given_name": .text("Ada"), "email": Value.makeSet(["ada@example.com"])])
            let engine = SyncEngine(node: node, logger: LogRecorder().logger())
            engine.recordSegmentFiguresIfDue()
            try node.saveSegment(name: "everyone", expression: "known_to(retail)", unit: node.unit, channel: "email", purpose: "marketing")
            engine.recordSegmentFiguresIfDue()
            #expect(try node.segmentFigures("everyone").isEmpty, "recorded from profiles that were not current")
            _ = try node.refreshProfiles()
            engine.recordSegmentFiguresIfDue()
            engine.recordSegmentFiguresIfDue()
            #expect(try node.segmentFigures("everyone").map(\.audience) == [0], "one recording today (no consent yet: nobody in the audience)")
            clock.store(UInt64(Self.since + 24 * Self.hour), ordering: .relaxed)
            engine.recordSegmentFiguresIfDue()
            #expect(try node.segmentFigures("everyone").count == 2)
        }
    }
}
