@testable import AccordAPI
import AccordNode
import AccordStore
import Foundation
import Testing

/// The rules behind the figures added for the dashboard and `accord report`: channel shifts of a
/// record's decisions and what each unit added when it joined, on chosen data; then the pages and
/// the JSON form showing them from one computation.
@Suite("Governance figures: channel shifts, join figures, their pages")
struct FigureRulesTests {
    private typealias D = ChannelShifts.Decision

    static let shiftCases: [(name: String, decisions: [(String, Bool, Int64)], shifts: [String])] = [
        ("no decisions", [], []),
        ("out of e-mail, then in to SMS", [("email", true, 1), ("sms", false, 2)], ["email>sms"]),
        ("in to SMS before the opt-out: no shift", [("sms", false, 1), ("email", true, 2)], []),
        ("the same millisecond counts", [("email", true, 5), ("sms", false, 5)], ["email>sms"]),
        ("e-mail's newest decision is an opt-in again", [("email", true, 1), ("email", false, 2), ("sms", false, 3)], []),
        ("the newest opt-out before the opt-in is the source", [("email", true, 1), ("phone", true, 2), ("sms", false, 3)], ["phone>sms"]),
        ("one opt-out, two later opt-ins", [("email", true, 1), ("sms", false, 2), ("mail", false, 3)], ["email>mail", "email>sms"]),
        ("channel all is no channel", [("all", true, 1), ("sms", false, 2)], []),
        ("an opt-out wins a tie on its channel", [("email", false, 1), ("email", true, 1), ("sms", false, 2)], ["email>sms"]),
        ("two opt-outs at once: the first channel by name", [("phone", true, 1), ("email", true, 1), ("sms", false, 2)], ["email>sms"]),
        ("an opt-out after the opt-in is no shift", [("email", true, 3), ("sms", false, 2)], []),
    ]

    @Test("channel shifts of one record's current decisions", arguments: shiftCases.indices)
    func channelShifts(_ index: Int) {
        let example = Self.shiftCases[index]
        let decisions = example.decisions.map { D(channel: $0.0, optOut: $0.1, decidedAtMillis: $0.2) }
        #expect(ChannelShifts.of(decisions).map { "\($0.from)>\($0.to)" } == example.shifts, "\(example.name)")
        // The order decisions arrive in (a dictionary's) does not matter.
        #expect(ChannelShifts.of(decisions.reversed()).map { "\($0.from)>\($0.to)" } == example.shifts, "\(example.name), reversed")
    }

    /// p1 {a, b}, p2 {a, a}, p3 {b, c}, p4 {c, c, c}, p5 {x, c}: x is no member of the policy.
    static let memberships = [("p1", "a", 1), ("p1", "b", 1), ("p2", "a", 2), ("p3", "b", 1), ("p3", "c", 1), ("p4", "c", 3), ("p5", "c", 1), ("p5", "x", 1)]
        .map { ProfileUnitCount(profile: $0.0, unit: $0.1, records: $0.2) }

    /// unit: records, profiles, duplicates, matched at join, new profiles, profiles after.
    static let joinCases: [(order: [String], memberships: [ProfileUnitCount], expected: [String: [Int]])] = [
        (["a", "b", "c"], memberships, ["a": [3, 2, 1, 0, 2, 2], "b": [2, 2, 0, 1, 1, 3], "c": [5, 3, 2, 1, 2, 5]]),
        (["c", "b", "a"], memberships, ["c": [5, 3, 2, 0, 3, 3], "b": [2, 2, 0, 1, 1, 4], "a": [3, 2, 1, 1, 1, 5]]),
        (["a", "b"], [], ["a": [0, 0, 0, 0, 0, 0], "b": [0, 0, 0, 0, 0, 0]]),
        (["b"], memberships, ["b": [2, 2, 0, 0, 2, 2]]),
    ]

    @Test("what each unit added when it joined, in join order", arguments: joinCases.indices)
    func joins(_ index: Int) {
        let example = Self.joinCases[index]
        let joins = JoinFigures.compute(example.memberships, order: example.order)
        #expect(joins.map(\.unit) == example.order)
        #expect(joins.map(\.position) == Array(1...example.order.count))
        for join in joins {
            #expect([join.records, join.profiles, join.duplicates, join.matchedEarlier, join.newProfiles, join.profilesAfter] == example.expected[join.unit],
                    "\(example.order) \(join.unit)")
        }
    }

    @Test func ratesOfAJoin() {
        let join = GovernanceFigures.UnitJoin(unit: "a", position: 1, records: 8, profiles: 6, duplicates: 2, matchedEarlier: 4, newProfiles: 6, profilesAfter: 6)
        #expect(join.duplicateRate == 0.25 && join.matchRateAtJoin == 0.5)
        let none = GovernanceFigures.UnitJoin(unit: "b", position: 2, records: 0, profiles: 0, duplicates: 0, matchedEarlier: 0, newProfiles: 0, profilesAfter: 6)
        #expect(none.duplicateRate == 0 && none.matchRateAtJoin == 0)
    }

    @Test("the pages show the new figures, and the JSON form has the same numbers")
    func pagesAndJSON() throws {
        let fixture = try DashboardTests.fixture()
        let steward = fixture.token(.steward), governance = fixture.token(.governance)
        // C-1 opts out of e-mail, then in to SMS: one shift, two decisions this month.
        #expect(try fixture.call("POST", "/v1/records/retail/C-1/consent", as: steward,
                                 json: #"{"channel":"email","purpose":"marketing","decision":"opt-out"}"#).status == 201)
        Thread.sleep(forTimeInterval: 0.01)
        #expect(try fixture.call("POST", "/v1/records/retail/C-1/consent", as: steward,
                                 json: #"{"channel":"sms","purpose":"marketing","decision":"opt-in"}"#).status == 201)
        let consent = try fixture.call("GET", "/dashboard/consent", as: governance).body
        #expect(consent.contains("<h2>Channel shifts</h2>") && consent.contains("<td>email</td><td>sms</td><td class=\"num\">1</td>"), "\(consent)")
        #expect(consent.contains("<h2>Rates over time per unit and channel</h2>"))
        let figures = try fixture.retail.engine.withNode { try GovernanceFigures.compute($0, peers: [ServedPeer]()) }
        let month = try #require(figures.months.last?.month)
        // One row per unit and channel, a column per month: this month (the last) 100% opt-out on e-mail, none on SMS.
        let quiet = String(repeating: "<td class=\"num muted\">–</td>", count: 11)
        #expect(consent.contains("<th>\(month)</th></tr>"), "\(consent)")
        #expect(consent.contains("<tr><td>retail</td><td>email</td>\(quiet)<td class=\"num\">100% / 0%</td></tr>"), "\(consent)")
        #expect(consent.contains("<tr><td>retail</td><td>sms</td>\(quiet)<td class=\"num\">0% / 0%</td></tr>"), "\(consent)")
        let consolidation = try fixture.call("GET", "/dashboard/consolidation", as: governance).body
        #expect(consolidation.contains("Match rate each unit added when it joined"), "\(consolidation)")
        let quality = try fixture.call("GET", "/dashboard/quality", as: governance).body
        #expect(quality.contains("retail: 3 records"))

        let object = try #require(try JSONSerialization.jsonObject(with: Data(figures.json())) as? [String: Any])
        let shifts = try #require((object["consent"] as? [String: Any])?["channelShifts"] as? [[String: Any]])
        #expect(shifts.count == 1 && shifts[0]["records"] as? Int == 1)
        let overTime = try #require((object["consent"] as? [String: Any])?["ratesOverTime"] as? [[String: Any]])
        #expect(overTime.count == 2 && overTime.allSatisfy { $0["month"] as? String == month && $0["decisions"] as? Int == 1 })
        #expect(Set(object.keys) == ["context", "overview", "federation", "quality", "consent", "consolidation", "privacy"])
        let only = try #require(try JSONSerialization.jsonObject(with: Data(figures.json(sections: [.privacy]))) as? [String: Any])
        #expect(Set(only.keys) == ["context", "overview", "privacy"])
        #expect(!String(decoding: figures.json(), as: UTF8.self).contains("C-1"), "a record key in the figures")
    }
}
