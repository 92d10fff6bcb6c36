import AccordLedger
import AccordModel
import AccordNode
import AccordSegments
import AccordStore
import Foundation
import Testing

/// The lifecycle stage is part of the profile and the same on every node holding the same entries,
/// whichever order they arrived in, with the same lineage (rule and deciding entry).
@Suite("Lifecycle stages across nodes")
struct LifecycleAcrossNodesTests {
    let day: Int64 = 86_400_000
    let now: UInt64 = 1_800_000_000_000

    @Test func twoNodesHoldingTheSameEntriesGiveEveryProfileTheSameStageAndLineage() throws {
        try withTemporaryDirectory { directory in
            let made = try makeNodes(["retail", "webshop"], in: directory)
            let clock = now
            let retail = try Node(directory: made[0].directory, now: { clock })
            let webshop = try Node(directory: made[1].directory, now: { clock })
            let start = Int64(now)
            // Anna: known to both units; a web purchase 40 days ago (webshop), a store visit (retail): active.
            try retail.write(localId: "R-1", values: ["given_name": .text("Anna"), "family_name": .text("Schmidt"),
                                                      "email": Value.makeSet(["anna.schmidt@example.com"])])
            try retail.recordInteraction(localId: "R-1", eventId: "v1", event: InteractionEvent(type: "visit", channel: "store", atMillis: start - 10 * day))
            try webshop.write(localId: "W-1", values: ["given_name": .text("Anna"), "family_name": .text("Schmidt"),
                                                       "email": Value.makeSet(["anna.schmidt@example.com"])])
            try webshop.recordInteraction(localId: "W-1", eventId: "p1", event: InteractionEvent(type: "purchase", channel: "web", atMillis: start - 40 * day))
            // Jonas: a purchase 500 days ago: lapsed. Mia: nothing: prospect.
            try retail.write(localId: "R-2", values: ["given_name": .text("Jonas"), "email": Value.makeSet(["jonas@example.com"])])
            try retail.recordInteraction(localId: "R-2", eventId: "p2", event: InteractionEvent(type: "purchase", channel: "store", atMillis: start - 500 * day))
            try webshop.write(localId: "W-2", values: ["given_name": .text("Mia"), "email": Value.makeSet(["mia@example.com"])])

            // Each node receives the other's batches, in opposite orders.
            let fromRetail = try retail.store.batchRows(after: 0, limit: 10_000).map(\.batch).filter { $0.header.stream.author == retail.unit }
            let fromWebshop = try webshop.store.batchRows(after: 0, limit: 10_000).map(\.batch).filter { $0.header.stream.author == webshop.unit }
            let intoWebshop = SyncEngine(node: try Node(directory: webshop.directory, now: { clock }), logger: LogRecorder().logger())
            for batch in fromRetail.reversed() { _ = intoWebshop.receive(batch, from: "retail") }
            for batch in fromRetail { _ = intoWebshop.receive(batch, from: "retail") }  // the out-of-order ones now fit
            let intoRetail = SyncEngine(node: try Node(directory: retail.directory, now: { clock }), logger: LogRecorder().logger())
            for batch in fromWebshop { #expect(intoRetail.receive(batch, from: "webshop") == .applied) }

            func stages(_ node: Node) throws -> [String: LifecycleAssignment] {
                try node.refreshProfiles()
                var result: [String: LifecycleAssignment] = [:]
                for record in ["retail/R-1", "retail/R-2", "webshop/W-2"] {
                    let key = try #require(RecordKey(described: record))
                    let body = try #require(try node.profileDocument(.record(key)))
                    let facts = try #require(try node.profileFacts(body: body, unit: node.unit))
                    result[record] = node.lifecycle(of: facts)
                }
                return result
            }
            let seenByRetail = try stages(try Node(directory: retail.directory, now: { clock }))
            let seenByWebshop = try stages(try Node(directory: webshop.directory, now: { clock }))
            #expect(seenByRetail == seenByWebshop)
            #expect(seenByRetail["retail/R-1"]?.stage == "active" && seenByRetail["retail/R-1"]?.interaction?.type == "purchase",
                    "the webshop purchase decides Anna's stage on both nodes: \(String(describing: seenByRetail["retail/R-1"]))")
            #expect(seenByRetail["retail/R-2"]?.stage == "lapsed")
            #expect(seenByRetail["webshop/W-2"]?.stage == "prospect")
        }
    }
}
