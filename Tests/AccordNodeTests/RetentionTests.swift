import AccordCrypto
import AccordImport
import AccordLedger
import AccordModel
import AccordNode
import AccordStore
import Foundation
import Testing

@Suite("Interactions and retention")
struct RetentionTests {
    let day: UInt64 = 86_400_000
    let start: UInt64 = 1_800_000_000_000

    @Test func expiredEventsAreRemovedRedactedAndRefusedLate() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "webshop"], in: directory)
            let path = nodes[0].directory
            let now = start
            let retail = try Node(directory: path, now: { now })
            let visit = InteractionEvent(type: "visit", channel: "store", atMillis: Int64(start - 100 * day), attributes: ["store": "Berlin"])
            let purchase = InteractionEvent(type: "purchase", channel: "web", atMillis: Int64(start - 100 * day))
            let written = try retail.recordInteraction(localId: "C-1", eventId: "v1", event: visit).batches
            try retail.recordInteraction(localId: "C-1", eventId: "p1", event: purchase)
            #expect(throws: NodeError(.notAllowed, "")) {
                try retail.recordInteraction(localId: "C-1", eventId: "x", event: InteractionEvent(type: "séance", channel: "web", atMillis: 1))
            }
            #expect(try retail.record(localId: "C-1")?.attributes.count == 2)

            // 100 days later the visit (180 days) is past retention; the purchase (730 days) is not.
            let later = start + 100 * day
            let laterNode = try Node(directory: path, now: { later })
            let report = try laterNode.applyRetention()
            #expect(report == RetentionReport(entries: 1, leaves: 1))
            #expect(try laterNode.record(localId: "C-1")?.attributes.map(\.attribute) == ["interaction:p1"])
            #expect(try laterNode.applyRetention() == RetentionReport(entries: 0, leaves: 0), "retention is idempotent")

            // The stored batch still verifies and links: only the leaf's content is gone.
            let stream = try #require(written.first?.batch.stream)
            let stored = try laterNode.store.batches(in: stream, after: 0)
            _ = try stored[0].verified(with: laterNode.publicKey)
            #expect(stored[0].hash == written[0].batch.hash)
            #expect(stored[0].leaves[0].isRedacted)
            #expect(try laterNode.store.audit("retention.run"))

            // The original batch arriving late at another node is refused: past retention there too.
            let admission = BatchAdmission(policy: laterNode.policy, receiver: UnitID(unchecked: "webshop"), settings: NormalizationSettings())
            #expect(admission.check(written[0].batch, now: later).refusal?.contains("past its retention of 180 days") == true)
            #expect(admission.check(written[0].batch, now: start).refusal == nil)
        }
    }
}

extension Store {
    /// Whether the audit log holds an entry with this action.
    func audit(_ action: String) throws -> Bool { try !auditEntries(action: action).isEmpty }
}
