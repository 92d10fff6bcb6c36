import AccordModel
import AccordNode
import AccordStore
import Foundation

/// `accord erase PERSON...`, `accord erase status REQUEST`, `accord erase list`.
enum EraseCommand {
    static func run(_ raw: [String]) throws {
        switch raw.first {
        case "status": try status(Array(raw.dropFirst()))
        case "list": try list(Array(raw.dropFirst()))
        default: try request(raw)
        }
    }

    /// A person as given on the command line: an email (has `@`), a phone number (starts with `+`),
    /// or a record (`unit/localId`, or a local id of this unit).
    static func subject(_ text: String, unit: UnitID) throws -> ErasureSubject {
        if text.contains("@") { return .email(text) }
        if text.hasPrefix("+") { return .phone(text) }
        return try record(text, unit: unit)
    }

    /// A record: `unit/localId`, or a local id of this unit.
    static func record(_ text: String, unit: UnitID) throws -> ErasureSubject {
        if let record = RecordKey(described: text) { return .record(record) }
        guard let record = try? RecordKey(unit: unit, localId: text) else {
            throw UsageError(message: "PERSON must be a record (unit/localId or a local id), an email or a +phone number")
        }
        return .record(record)
    }

    private static func request(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "reference", "email", "phone", "record"], flags: ["dry-run", "json"])
        let node = try CLI.openNode(arguments)
        var subjects = try arguments.positionals.map { try subject($0, unit: node.unit) }
        if let email = arguments.option("email") { subjects.append(.email(email)) }
        if let phone = arguments.option("phone") { subjects.append(.phone(phone)) }
        if let record = arguments.option("record") { subjects.append(try Self.record(record, unit: node.unit)) }
        guard !subjects.isEmpty else { throw UsageError(message: "missing PERSON: a record, an email or a phone number") }
        let report = try node.requestErasure(subjects, reference: arguments.option("reference") ?? "", dryRun: arguments.flag("dry-run"))
        if arguments.flag("json") {
            var object: [String: Any] = ["records": report.records.map(\.description), "identifiers": report.identifiers,
                                         "dryRun": report.request == nil]
            if let name = report.request { object["request"] = name }
            if let run = report.run {
                object["erasedHere"] = ["records": run.records.count, "entriesRemoved": run.outcome.entries, "leavesRedacted": run.outcome.leaves,
                                        "heldBy": run.holds, "walTruncated": run.purged] as [String: Any]
            }
            try Output.json(object)
            return
        }
        let names = report.records.map(\.description).joined(separator: ", ")
        guard let name = report.request, let run = report.run else {
            Output.line("Dry run: the request would name \(report.records.count) records (\(names.isEmpty ? "none held here" : names)) "
                + "and \(report.identifiers) identifiers, as salted hashes")
            return
        }
        Output.line("Erasure request \(name): \(report.records.count) records (\(names.isEmpty ? "none held here" : names)), "
            + "\(report.identifiers) identifiers as salted hashes")
        Output.line("Erased here: \(run.outcome.entries) entries removed, \(run.outcome.leaves) leaves redacted"
            + (run.holds.isEmpty ? "" : "; kept under legal hold: \(run.holds.joined(separator: ", "))")
            + (run.purged ? "" : "; the WAL is truncated at the next run (readers kept it busy)"))
        Output.line("Every node erases and acknowledges when the request reaches it: accord erase status \(name)")
    }

    private static func status(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        let name = try arguments.positionals(exactly: ["request"])[0]
        let node = try CLI.openNode(arguments)
        guard let status = try node.erasureStatus(name) else { throw NodeError(.notFound, "this node holds no erasure request \(name)") }
        if arguments.flag("json") {
            try Output.json(json(status))
            return
        }
        Output.line("Erasure request \(status.name), requested at \(time(status.request.requestedAtMillis)): "
            + "\(status.request.records.count) records, \(status.request.identifierHashes.count) identifiers"
            + (status.request.reference.isEmpty ? "" : "; reference: \(status.request.reference)"))
        Output.table(["UNIT", "STATE", "ERASED AT", "RECORDS", "ENTRIES", "LEAVES", "LEGAL HOLDS"], status.units.map { unit in
            guard let ack = unit.acknowledgement else { return [unit.unit, "pending", "", "", "", "", ""] }
            return [unit.unit, "acknowledged", time(ack.erasedAtMillis), "\(ack.records.count)", "\(ack.entriesRemoved)", "\(ack.leavesRedacted)",
                    ack.holds.joined(separator: ",")]
        })
        Output.line(status.isComplete ? "Done: every member acknowledged." : "Pending: \(status.pending.joined(separator: ", ")).")
    }

    private static func list(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let statuses = try CLI.openNode(arguments).erasureStatuses()
        if arguments.flag("json") {
            try Output.json(statuses.map(json))
        } else if statuses.isEmpty {
            Output.line("No erasure requests")
        } else {
            Output.table(["REQUEST", "REQUESTED AT", "RECORDS", "ACKNOWLEDGED", "PENDING"], statuses.map { status in
                [status.name, time(status.request.requestedAtMillis), "\(status.request.records.count)",
                 "\(status.units.count - status.pending.count)/\(status.units.count)", status.pending.joined(separator: ",")]
            })
        }
    }

    private static func json(_ status: ErasureStatus) -> [String: Any] {
        [
            "request": status.name, "requester": status.requester.rawValue, "requestedAt": time(status.request.requestedAtMillis),
            "records": status.request.records.map(\.description), "identifiers": status.request.identifierHashes.count,
            "reference": status.request.reference, "complete": status.isComplete,
            "units": status.units.map { unit -> [String: Any] in
                guard let ack = unit.acknowledgement else { return ["unit": unit.unit, "state": "pending"] }
                return ["unit": unit.unit, "state": "acknowledged", "erasedAt": time(ack.erasedAtMillis), "records": ack.records.map(\.description),
                        "entriesRemoved": ack.entriesRemoved, "leavesRedacted": ack.leavesRedacted, "legalHolds": ack.holds]
            },
        ]
    }

    private static func time(_ millis: Int64) -> String { Output.isoTime(millis: UInt64(max(0, millis))) }
}
