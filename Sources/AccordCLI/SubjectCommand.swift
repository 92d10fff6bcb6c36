import AccordModel
import AccordNode
import AccordStore
import Foundation

/// `accord subject export PERSON...`: an access request.
enum SubjectCommand {
    static let usage = "usage: accord subject export PERSON... [--email E] [--phone P] [--record UNIT/ID] [--owner UNIT] [--out FILE]"

    static func run(_ raw: [String]) throws {
        guard raw.first == "export" else { throw UsageError(message: usage) }
        let arguments = try Arguments(Array(raw.dropFirst()), options: ["node", "owner", "out", "email", "phone", "record"], flags: [])
        let node = try CLI.openNode(arguments)
        // `--owner UNIT ID` keeps naming one record by its owner and local id.
        let owner = try arguments.unit("owner")
        var subjects = try arguments.positionals.map { text in
            try owner.map { ErasureSubject.record(try RecordKey(unit: $0, localId: text)) } ?? EraseCommand.subject(text, unit: node.unit)
        }
        if let email = arguments.option("email") { subjects.append(.email(email)) }
        if let phone = arguments.option("phone") { subjects.append(.phone(phone)) }
        if let record = arguments.option("record") { subjects.append(try EraseCommand.record(record, unit: node.unit)) }
        guard !subjects.isEmpty else { throw UsageError(message: "missing PERSON: a record, an email or a phone number\n" + usage) }
        let data = try node.exportSubject(subjects)
        if let path = arguments.option("out") {
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw NodeError(.storage, "cannot write \(path)", cause: error)
            }
            Output.line("Exported to \(path); the request is in the audit log (accord audit --action subject.export)")
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// `accord audit`: the append-only audit log.
enum AuditCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "action", "limit"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let limit = try arguments.integer("limit", default: 100, range: 1...100_000)
        let node = try CLI.openNode(arguments)
        let entries: [AuditEntry]
        do {
            entries = try node.store.auditEntries(action: arguments.option("action"), limit: limit)
        } catch {
            throw NodeError(.storage, "cannot read the audit log", cause: error)
        }
        func time(_ millis: Int64) -> String { Output.isoTime(millis: UInt64(max(0, millis))) }
        if arguments.flag("json") {
            try Output.json(entries.map { entry -> [String: Any] in
                var object: [String: Any] = ["at": time(entry.atMillis), "unit": entry.unit, "operator": entry.operatorName, "action": entry.action]
                if let subject = entry.subject { object["subject"] = subject }
                if let detail = entry.detail { object["detail"] = detail }
                if let due = entry.dueAtMillis { object["dueAt"] = time(due) }
                return object
            })
        } else {
            Output.table(["WHEN", "OPERATOR", "ACTION", "SUBJECT", "DETAIL", "DUE"], entries.map {
                [time($0.atMillis), $0.operatorName, $0.action, $0.subject ?? "", $0.detail ?? "", $0.dueAtMillis.map(time) ?? ""]
            })
        }
    }
}
