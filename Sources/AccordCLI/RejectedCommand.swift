import AccordLedger
import AccordNode
import AccordStore
import Foundation

/// `accord rejected`: the batches this node refused, and the entries it stored redacted without
/// applying them (late entries of erased people, past retention), newest first, with their reasons.
enum RejectedCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "limit"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let limit = try arguments.integer("limit", default: 50, range: 1...100_000)
        let node = try CLI.openNode(arguments)
        let rejected: [RejectedBatch]
        do {
            rejected = try node.store.rejectedBatches(limit: limit)
        } catch {
            throw NodeError(.storage, "cannot read the refused batches", cause: error)
        }
        let entries: [RefusedEntry]
        do {
            entries = try node.store.refusedEntries(limit: limit)
        } catch {
            throw NodeError(.storage, "cannot read the refused entries", cause: error)
        }
        func time(_ millis: Int64) -> String { Output.isoTime(millis: UInt64(max(0, millis))) }
        if arguments.flag("json") {
            try Output.json([
                "batches": rejected.map { batch -> [String: Any] in
                    var object: [String: Any] = ["reason": batch.reason, "at": time(batch.rejectedAtMillis)]
                    if let stream = batch.stream { object["stream"] = stream.description }
                    if let sequence = batch.sequence { object["sequence"] = sequence }
                    return object
                },
                "entries": entries.map { entry -> [String: Any] in
                    ["stream": entry.stream.description, "sequence": entry.sequence, "leaf": entry.leaf, "reason": entry.reason,
                     "at": time(entry.refusedAtMillis)]
                },
            ])
            return
        }
        if rejected.isEmpty {
            Output.line("No refused batches")
        } else {
            Output.table(["WHEN", "BATCH", "REASON"], rejected.map { batch in
                [time(batch.rejectedAtMillis), "\(batch.stream?.description ?? "?")#\(batch.sequence.map(String.init) ?? "?")", batch.reason]
            })
        }
        if !entries.isEmpty {
            Output.line("")
            Output.line("Refused entries (their batches were stored with these leaves redacted, and applied without them):")
            Output.table(["WHEN", "BATCH", "LEAF", "REASON"], entries.map { entry in
                [time(entry.refusedAtMillis), "\(entry.stream)#\(entry.sequence)", "\(entry.leaf)", entry.reason]
            })
        }
    }
}
