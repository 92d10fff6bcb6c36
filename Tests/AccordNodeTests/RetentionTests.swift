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
            #expect(report == RetentionReport(entries: 1, leaves: 1, entriesByClass: ["interactions": 1]))
            #expect(try laterNode.record(localId: "C-1")?.attributes.map(\.attribute) == ["interaction:p1"])
            #expect(try laterNode.applyRetention() == RetentionReport(entries: 0, leaves: 0), "retention is idempotent")

            // The stored batch still verifies and links: only the leaf's content is gone.
            let stream = try #require(written.first?.batch.stream)
            let stored = try laterNode.store.batches(in: stream, after: 0)
            _ = try stored[0].verified(with: laterNode.publicKey)
            #expect(stored[0].hash == written[0].batch.hash)
            #expect(stored[0].leaves[0].isRedacted)
            #expect(try laterNode.store.audit("retention.run"))

            // The original batch arriving late at another node: sound, so admitted, but its expired
            // leaf is stored redacted and not applied, and the stream goes on.
            let webshop = SyncEngine(node: try Node(directory: nodes[1].directory, now: { later }), logger: LogRecorder().logger())
            #expect(webshop.receive(written[0].batch, from: "retail") == .applied)
            let refused = try webshop.withNode { try $0.store.refusedEntries() }
            #expect(refused.map(\.reason) == ["its interaction events are past their retention"])
            #expect(try webshop.withNode { try $0.record(localId: "C-1", owner: retail.unit) } == nil)
            #expect(try webshop.withNode { try $0.store.batches(in: stream, after: 0) }[0].leaves[0].isRedacted)
            #expect(try webshop.withNode { try $0.store.streamHead(stream).sequence } == 1)
        }
    }

    @Test func classRetentionExpiresEntriesByClockReadingExceptUnderALegalHold() throws {
        try withTemporaryDirectory { directory in
            // financial: 3650 days in the sample policy; a hold keeps one record's bank details.
            let text = SamplePolicy.text.replacingOccurrences(
                of: #""retention": { "financial": 3650 },"#,
                with: #""retention": { "financial": 3650, "identity": 30 }, "legalHolds": [{ "id": "claim-7", "reason": "claim file", "classes": ["financial"], "records": ["insurance/I-2"] }],"#)
            #expect(text != SamplePolicy.text)
            let nodes = try makeNodes(["insurance", "governance"], in: directory, policy: Array(text.utf8))
            let path = nodes[0].directory
            let writtenAt = start
            let insurance = try Node(directory: path, now: { writtenAt })
            let first = try insurance.write(localId: "I-1", values: ["iban": .text("DE89370400440532013000"), "given_name": .text("Ada")]).batches
            try insurance.write(localId: "I-2", values: ["iban": .text("DE02120300000000202051")])
            // After 40 days identity has expired (30 days), financial not; after 3651 days financial too, except the held record.
            let after40 = try Node(directory: path, now: { writtenAt + 40 * day })
            #expect(try after40.applyRetention() == RetentionReport(entries: 1, leaves: 1, entriesByClass: ["identity": 1]))
            #expect(try after40.record(localId: "I-1")?.attributes.map(\.attribute) == ["iban"])
            let later = writtenAt + 3651 * day
            let afterTen = try Node(directory: path, now: { later })
            #expect(try afterTen.applyRetention() == RetentionReport(entries: 1, leaves: 1, entriesByClass: ["financial": 1]))
            #expect(try afterTen.record(localId: "I-1") == nil)
            #expect(try afterTen.record(localId: "I-2")?.attributes.map(\.attribute) == ["iban"], "the legal hold keeps it")
            #expect(try afterTen.store.audit("retention.run"))

            // A late copy at governance: stored redacted, recorded as refused, the stream continues.
            let governance = SyncEngine(node: try Node(directory: nodes[1].directory, now: { later }), logger: LogRecorder().logger())
            for batch in first { #expect(governance.receive(batch.batch, from: "insurance") == .applied) }
            let reasons = try governance.withNode { try $0.store.refusedEntries() }.map(\.reason).sorted()
            #expect(reasons == ["it is past the retention of class \"financial\" (3650 days)", "it is past the retention of class \"identity\" (30 days)"])
            #expect(try governance.withNode { try $0.record(localId: "I-1", owner: insurance.unit) } == nil)
        }
    }
}

extension Store {
    /// Whether the audit log holds an entry with this action.
    func audit(_ action: String) throws -> Bool { try !auditEntries(action: action).isEmpty }
}
