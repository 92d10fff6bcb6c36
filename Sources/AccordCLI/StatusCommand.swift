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
        if arguments.flag("json") {
            try Output.json([
                "unit": status.unit, "federation": status.federation, "policyVersion": status.policyVersion,
                "records": status.counts.records, "recordStates": status.counts.recordStates,
                "batches": status.counts.batches, "leaves": status.counts.leaves,
                "rejectedBatches": status.counts.rejectedBatches, "databaseBytes": status.databaseBytes,
                "clock": status.clock.description,
                "streams": status.streams.map { ["stream": $0.stream, "sequence": $0.sequence] as [String: Any] },
            ])
            return
        }
        print(text(status))
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
        return lines.joined(separator: "\n")
    }
}
