import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation
/// `accord record show|put`.
enum RecordCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: record show or record put") }
        switch sub {
        case "show": try show(Array(raw.dropFirst()))
        case "put": try put(Array(raw.dropFirst()))
        default: throw UsageError(message: "unknown subcommand record \(sub)")
        }
    }

    private static func show(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["owner", "node"], flags: ["json"])
        let localId = try arguments.positionals(exactly: ["local-id"])[0]
        let owner = try arguments.unit("owner")
        let node = try CLI.openNode(arguments)
        guard let view = try node.record(localId: localId, owner: owner) else {
            throw NodeError(.notFound, "no record \((owner ?? node.unit).rawValue)/\(localId) on this node")
        }
        if arguments.flag("json") {
            try Output.json([
                "unit": view.key.unit.rawValue, "localId": view.key.localId,
                "entries": view.attributes.map { entry -> [String: Any] in
                    ["attribute": entry.attribute, "value": entry.value ?? NSNull(), "author": entry.author,
                     "hlc": entry.hlc.description, "writtenAt": Output.isoTime(millis: entry.hlc.physicalMillis)]
                },
            ])
        } else {
            Output.line("Record \(view.key)")
            Output.table(["ATTRIBUTE", "VALUE", "AUTHOR", "WRITTEN"], view.attributes.map {
                [$0.attribute, $0.value ?? "(deleted)", $0.author, Output.isoTime(millis: $0.hlc.physicalMillis)]
            })
        }
    }

    private static func put(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        guard arguments.positionals.count >= 2 else { throw UsageError(message: "usage: accord record put LOCAL_ID ATTRIBUTE=VALUE...") }
        let localId = arguments.positionals[0]
        let node = try CLI.openNode(arguments)
        var values: [String: Value?] = [:]
        for assignment in arguments.positionals.dropFirst() {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw UsageError(message: "expected ATTRIBUTE=VALUE, got \"\(assignment.prefix(40))\"")
            }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            guard let definition = node.policy.attribute(name) else {
                throw NodeError(.notAllowed, "attribute \"\(name)\" is not in the policy's catalog")
            }
            values[name] = try node.normalize(text, attribute: name, multiValued: definition.multiValued)
        }
        let commit = try node.write(localId: localId, values: values)
        if arguments.flag("json") {
            try Output.json(["entriesWritten": commit.entriesWritten, "batchesSealed": commit.batches.count])
        } else if commit.entriesWritten == 0 {
            Output.line("Nothing changed: \(node.unit)/\(localId) already holds these values")
        } else {
            Output.line("Wrote \(commit.entriesWritten) entries on \(node.unit)/\(localId) (\(commit.batches.count) batches)")
        }
    }
}

/// `accord records`.
enum RecordsCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["owner", "after", "limit", "node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let limit = try arguments.integer("limit", default: 100, range: 1...100_000)
        let owner = try arguments.unit("owner")
        let node = try CLI.openNode(arguments)
        let after = arguments.option("after").map { RecordKey(unchecked: owner ?? node.unit, localId: $0) }
        let keys = try node.recordKeys(owner: owner, after: after, limit: limit)
        if arguments.flag("json") {
            try Output.json(keys.map { ["unit": $0.unit.rawValue, "localId": $0.localId] })
        } else {
            Output.table(["UNIT", "LOCAL ID"], keys.map { [$0.unit.rawValue, $0.localId] })
        }
    }
}
