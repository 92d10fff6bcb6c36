import AccordCrypto
import AccordModel
import AccordNode
import AccordStore
import Foundation

/// `accord interaction add` and `accord retention run`.
enum InteractionCommand {
    static func run(_ raw: [String]) throws {
        guard raw.first == "add" else { throw UsageError(message: "usage: accord interaction add LOCAL_ID --type T --channel C [--at TIME] [--id ID] [KEY=VALUE...]") }
        let arguments = try Arguments(Array(raw.dropFirst()), options: ["node", "type", "channel", "at", "id"], flags: ["json"])
        guard let localId = arguments.positionals.first else { throw UsageError(message: "missing LOCAL-ID") }
        guard let type = arguments.option("type"), let channel = arguments.option("channel") else {
            throw UsageError(message: "--type and --channel are required")
        }
        var attributes: [String: String] = [:]
        for pair in arguments.positionals.dropFirst() {
            guard let equals = pair.firstIndex(of: "=") else { throw UsageError(message: "expected KEY=VALUE, got \"\(pair.prefix(40))\"") }
            attributes[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        var at = Int64(Node.wallClock())
        if let text = arguments.option("at") {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
            guard let date = formatter.date(from: text) else { throw UsageError(message: "--at must be a date (2026-11-23) or an ISO 8601 time") }
            at = Int64(date.timeIntervalSince1970 * 1000)
        }
        let randomId = try SecureRandom.bytes(count: 8).map { String(format: "%02x", $0) }.joined()
        let eventId = arguments.option("id") ?? randomId
        let node = try CLI.openNode(arguments)
        try node.recordInteraction(localId: localId, eventId: eventId,
                                   event: InteractionEvent(type: type, channel: channel, atMillis: at, attributes: attributes))
        Output.line("Recorded \(type) on \(channel) for \(node.unit)/\(localId) (interaction:\(eventId))")
    }
}

enum RetentionCommand {
    static func run(_ raw: [String]) throws {
        guard raw.first == "run" else { throw UsageError(message: "usage: accord retention run [--node DIR] [--json]") }
        let arguments = try Arguments(Array(raw.dropFirst()), options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        let report = try node.applyRetention()
        // Data that lifted legal holds had kept on erased records goes too.
        let runs = try node.runErasures()
        if arguments.flag("json") {
            try Output.json(["entriesRemoved": report.entries, "leavesRedacted": report.leaves, "entriesRemovedByClass": report.entriesByClass,
                             "erasureRuns": runs.count])
        } else {
            let classes = report.entriesByClass.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            Output.line("Retention: \(report.entries) entries removed\(classes.isEmpty ? "" : " (\(classes))"), \(report.leaves) leaves redacted")
            for run in runs {
                Output.line("Erasure (\(run.kind.rawValue)\(run.request.isEmpty ? "" : " of \(run.request)")): \(run.outcome.entries) entries removed, "
                    + "\(run.outcome.leaves) leaves redacted")
            }
        }
    }
}
