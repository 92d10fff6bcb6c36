import AccordLedger
import AccordModel
import AccordStore
import Foundation

/// The clock checks of `accord-reliability chaos` on one node's store, after heal: every stream's
/// batches carry creation clocks that increase with their sequence numbers and leaves whose
/// clocks never decrease (an author's HLC went back neither under a jump nor across a restart
/// under one); no entry is further ahead of real time than the policy's future bound; and the
/// refusals the node recorded for the future bound (batches and entries).
struct ClockAudit {
    /// Streams where a clock went back: the first place in each.
    var wentBack: [String] = []
    /// Entries whose clock is beyond real time plus the future bound.
    var beyondBound = 0
    /// The furthest ahead of real time any entry's clock is, in milliseconds (0 when none is ahead).
    var furthestAheadMillis: Int64 = 0
    /// Batches refused for the future bound, as recorded by the node.
    var refusedBatches = 0
    /// Leaves refused for the future bound, as recorded by the node.
    var refusedEntries = 0

    /// The words of a future-bound refusal, as ``AccordNode/BatchAdmission`` ("written N ms in the
    /// future, over the bound of B ms") and ``AccordModel/HybridClock`` ("remote clock is N ms
    /// ahead, over the bound of B ms") put them.
    static func isFutureBound(_ reason: String) -> Bool { reason.contains("over the bound of") }

    /// Reads the store of the node directory `node`; `realNowMillis` is the harness's (real) clock.
    static func read(node: String, futureBoundMillis: Int64, realNowMillis: Int64) throws -> ClockAudit {
        let store = try Store(path: node + "/accord.sqlite")
        var audit = ClockAudit()
        let limit = realNowMillis + futureBoundMillis
        for head in try store.streamHeads() {
            var lastBatch = HLC.zero
            var lastLeaf = HLC.zero
            var after: UInt64 = 0
            var reported = false
            while true {
                let batches = try store.batches(in: head.stream, after: after, limit: 256)
                if batches.isEmpty { break }
                for batch in batches {
                    let sequence = batch.header.sequence
                    after = sequence
                    if batch.header.createdAt <= lastBatch, !reported {
                        audit.wentBack.append("\(head.stream) #\(sequence): created at \(batch.header.createdAt), not after \(lastBatch)")
                        reported = true
                    }
                    lastBatch = max(lastBatch, batch.header.createdAt)
                    for leaf in batch.leaves {
                        guard let write = try? leaf.recordWrite() else { continue }  // redacted leaves hold no write
                        if write.hlc < lastLeaf, !reported {
                            audit.wentBack.append("\(head.stream) #\(sequence): an entry at \(write.hlc) after one at \(lastLeaf)")
                            reported = true
                        }
                        lastLeaf = max(lastLeaf, write.hlc)
                        let physical = Int64(write.hlc.physicalMillis)
                        if physical > limit { audit.beyondBound += 1 }
                        audit.furthestAheadMillis = max(audit.furthestAheadMillis, physical - realNowMillis)
                    }
                }
            }
        }
        audit.refusedBatches = try store.rejectedBatches(limit: Int(Int32.max)).count { isFutureBound($0.reason) }
        audit.refusedEntries = try store.refusedEntries(limit: Int(Int32.max)).count { isFutureBound($0.reason) }
        return audit
    }
}
