import AccordModel
import AccordNode
import AccordPolicy
import Foundation
import Testing

/// A person's consent and interactions over every record of their profile.
@Suite("Consent and interactions of a profile")
struct ProfileConsentTests {
    func decide(_ node: Node, _ localId: String, _ scope: ConsentScope, _ choice: ConsentDecision.Choice, at millis: Int64) throws {
        let topic = try ConsentTopic(channel: "email", purpose: "marketing", scope: scope)
        _ = try node.recordConsent(localId: localId, topic: topic, decision: ConsentDecision(
            choice: choice, expressed: true, decidedAtMillis: millis, method: "web-form", noticeVersion: "v1", noticeHash: [], collectedBy: node.unit))
    }

    @Test func decisionsOnEveryRecordOfTheProfileCountInTheirScope() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: Array(SamplePolicy.text.utf8))
            _ = try node.write(localId: "C-1", values: ["given_name": .text("Ada")])
            _ = try node.write(localId: "C-2", values: ["given_name": .text("Ada")])
            let now = Int64(Node.wallClock())
            // Company-wide opt-in through one record, a month ago; a retail-only opt-out through the other, today.
            try decide(node, "C-1", .company, .optIn, at: now - 30 * 86_400_000)
            try decide(node, "C-2", .unit(node.unit), .optOut, at: now - 1_000)
            let records = [RecordKey(unchecked: node.unit, localId: "C-1"), RecordKey(unchecked: node.unit, localId: "C-2")]
            func emailMarketing(_ unit: String) throws -> ConsentVerdict {
                try #require(try node.profileConsent(records: records, unit: UnitID(unit)).first { $0.channel == "email" && $0.purpose == "marketing" }).verdict
            }
            #expect(try !emailMarketing("retail").allowed, "retail's own later opt-out decides for retail")
            #expect(try emailMarketing("retail").deciding?.record.localId == "C-2")
            #expect(try emailMarketing("insurance").allowed, "the retail-only opt-out does not reach insurance")
            #expect(try emailMarketing("insurance").deciding?.record.localId == "C-1")
            // One record alone does not see the other's decision.
            #expect(try node.checkConsent(localId: "C-1", unit: node.unit, channel: "email", purpose: "marketing").allowed)
            // Every channel and purpose of the model is answered; undecided ones are not allowed.
            let all = try node.profileConsent(records: records, unit: node.unit)
            #expect(all.count == (node.policy.consent?.channels.count ?? 0) * (node.policy.consent?.purposes.count ?? 0))
            #expect(all.filter { !($0.channel == "email" && $0.purpose == "marketing") }.allSatisfy { !$0.verdict.allowed })

            _ = try node.recordInteraction(localId: "C-1", eventId: "e1", event: InteractionEvent(type: "purchase", channel: "store", atMillis: now - 5_000))
            _ = try node.recordInteraction(localId: "C-2", eventId: "e2", event: InteractionEvent(type: "purchase", channel: "web", atMillis: now - 2_000))
            let events = try node.profileInteractions(records: records)
            #expect(events.map(\.event.channel) == ["web", "store"], "newest first, from both records")
        }
    }
}
