import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation

/// `accord status`.
enum StatusCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        let status = try node.status()
        let serving = node.servingSnapshot()
        let erasures = try node.erasureStatuses()
        let refusedEntries: Int
        do {
            refusedEntries = try node.store.refusedEntryCount()
        } catch {
            throw NodeError(.storage, "cannot count the refused entries", cause: error)
        }
        let recovery: RecoveryMark?
        do {
            recovery = try node.store.recovery()
        } catch {
            throw NodeError(.storage, "cannot read the recovery state", cause: error)
        }
        let ours = Dictionary(status.streams.map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
        if arguments.flag("json") {
            var object: [String: Any] = [
                "unit": status.unit, "federation": status.federation, "policyVersion": status.policyVersion,
                "records": status.counts.records, "recordStates": status.counts.recordStates,
                "batches": status.counts.batches, "leaves": status.counts.leaves,
                "rejectedBatches": status.counts.rejectedBatches, "databaseBytes": status.databaseBytes,
                "clock": status.clock.description, "signingKey": node.publicKeyBase64,
                "streams": status.streams.map { ["stream": $0.stream, "sequence": $0.sequence] as [String: Any] },
                "serving": serving != nil,
                "purged": status.purged.map { ["shareClass": $0.shareClass, "policyVersion": $0.policyVersion, "atMillis": $0.atMillis] as [String: Any] },
                "refusedEntries": refusedEntries,
                "erasures": ["requests": erasures.count, "complete": erasures.filter(\.isComplete).count],
                "recovering": recovery.map { ["restoredAtMillis": $0.restoredAtMillis, "backupTakenAtMillis": $0.backupTakenAtMillis] as [String: Any] }
                    ?? NSNull(),
            ]
            if let serving {
                object["peers"] = serving.peers.map { peer -> [String: Any] in
                    var entry: [String: Any] = [
                        "unit": peer.unit, "connected": peer.connected, "lastContactMillis": peer.lastContactMillis,
                        "lag": lag(ours: ours, theirs: peer.vector).map { ["stream": $0.stream, "peerLacks": $0.peerLacks, "weLack": $0.weLack] },
                    ]
                    if let error = peer.lastError { entry["lastError"] = error }
                    entry["policyVersion"] = peer.policyVersion.map { $0 as Any } ?? NSNull()
                    return entry
                }
            }
            try Output.json(object)
            return
        }
        print(text(status))
        if let recovery {
            let taken = recovery.backupTakenAtMillis == 0 ? "an unknown time" : Output.isoTime(millis: recovery.backupTakenAtMillis)
            print("Recovery:    restored \(Output.isoTime(millis: recovery.restoredAtMillis)) from a backup taken \(taken); local writes "
                + "refused until accord serve has recovered this unit's own streams from every peer (\"we lack\" below)")
        }
        if refusedEntries > 0 { print("Refused:     \(Output.grouped(refusedEntries)) entries stored redacted, not applied (accord rejected)") }
        if !erasures.isEmpty {
            let open = erasures.filter { !$0.isComplete }
            print("Erasures:    \(erasures.count) requests, \(open.count) awaiting acknowledgements (accord erase list)")
        }
        guard let serving else {
            print("Sync:        not serving (start it with accord serve)")
            return
        }
        print("Sync:        serving on port \(serving.port.map(String.init) ?? "?") (pid \(serving.pid))")
        for peer in serving.peers {
            let contact = peer.lastContactMillis == 0 ? "never" : Output.isoTime(millis: peer.lastContactMillis)
            let version = peer.policyVersion.map { ", policy v\($0)" + ($0 == UInt64(status.policyVersion) ? "" : " (ours v\(status.policyVersion))") } ?? ""
            print("  peer \(peer.unit): \(peer.connected ? "connected" : "not connected"), last contact \(contact)\(version)"
                + (peer.connected ? "" : peer.lastError.map { " (\($0))" } ?? ""))
            for item in lag(ours: ours, theirs: peer.vector) where item.peerLacks > 0 || item.weLack > 0 {
                print("    \(item.stream): peer lacks \(item.peerLacks), we lack \(item.weLack)")
            }
        }
    }

    /// Per stream, how many batches the peer lacks of ours and we lack of its.
    static func lag(ours: [String: UInt64], theirs: [String: UInt64]) -> [StreamLag] {
        StreamLag.between(ours: ours, theirs: theirs)
    }

    static func text(_ status: NodeStatus) -> String {
        var lines = [
            "Unit:        \(status.unit) (federation \(status.federation), policy v\(status.policyVersion))",
            "Records:     \(Output.grouped(status.counts.records)) (\(Output.grouped(status.counts.recordStates)) record states)",
            "Batches:     \(Output.grouped(status.counts.batches)) holding \(Output.grouped(status.counts.leaves)) leaves; "
                + "\(Output.grouped(status.counts.rejectedBatches)) refused",
            "Database:    \(String(format: "%.1f", Double(status.databaseBytes) / 1_048_576)) MiB",
            "Clock:       \(status.clock.physicalMillis == 0 ? "never ticked" : Output.isoTime(millis: status.clock.physicalMillis))",
            "Streams:     \(status.streams.isEmpty ? "none yet" : "")",
        ]
        for stream in status.streams { lines.append("  \(stream.stream)  #\(stream.sequence)") }
        for purge in status.purged {
            lines.append("Purged:      share class \(purge.shareClass): policy v\(purge.policyVersion) removed this unit from its audience"
                + " (\(Output.isoTime(millis: UInt64(max(0, purge.atMillis)))))")
        }
        return lines.joined(separator: "\n")
    }
}
