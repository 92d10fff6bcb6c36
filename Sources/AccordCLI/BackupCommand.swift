import AccordNode
import AccordLedger
import AccordModel
import AccordStore
import Foundation

/// `accord backup FILE`: a consistent copy of the store, also while the node serves.
enum BackupCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        let file = try arguments.positionals(exactly: ["FILE"])[0]
        let node = try CLI.openNode(arguments)
        let info = try node.backup(to: file)
        if arguments.flag("json") {
            try Output.json(BackupPrinting.json(info, file: file))
        } else {
            Output.line("backed up unit \(info.unit?.rawValue ?? "?") to \(file): \(Output.grouped(Int(info.bytes))) bytes, "
                + "schema \(info.schemaVersion), \(info.streams) streams")
            for head in info.ownHeads { Output.line("  own stream \(head.stream): #\(head.sequence)") }
            Output.line("the file holds customers' personal data: keep it as safe as the node; keys/ and node.json are not in it")
        }
    }
}

/// `accord restore FILE` and `accord restore --finish`.
enum RestoreCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json", "finish"])
        if arguments.flag("finish") {
            _ = try arguments.positionals(exactly: [])
            let node = try CLI.openNode(arguments)
            guard try node.store.recovery() != nil else {
                Output.line("unit \(node.unit) is not recovering from a restore: nothing to finish")
                return
            }
            try node.finishRecovery()
            Output.line("recovery ended by hand: unit \(node.unit) takes local writes again, continuing its streams from their heads")
            Output.line("if a unit not heard from holds later batches of this unit's streams, it will refuse the new ones as forks")
            return
        }
        let file = try arguments.positionals(exactly: ["FILE"])[0]
        let directory = CLI.nodeDirectory(arguments)
        let outcome = try Node.restore(directory: directory, from: file)
        if arguments.flag("json") {
            var object = BackupPrinting.json(outcome.backup, file: file)
            object["setAside"] = outcome.setAside ?? NSNull()
            object["recovering"] = true
            try Output.json(object)
            return
        }
        Output.line("restored unit \(outcome.backup.unit?.rawValue ?? "?") from \(file) (schema \(outcome.backup.schemaVersion), "
            + "\(outcome.backup.streams) streams)")
        if let aside = outcome.setAside {
            Output.line("the store that was in place is kept as \(aside) (delete it once the restore is verified: it may hold erased data)")
        }
        Output.line("recovering: local writes are refused until accord serve has recovered this unit's own streams from its peers;")
        Output.line("accord status shows the progress (accord restore --finish ends it by hand)")
    }
}

/// Shared JSON form of a backup's description.
enum BackupPrinting {
    static func json(_ info: BackupInfo, file: String) -> [String: Any] {
        [
            "file": file, "unit": info.unit?.rawValue ?? NSNull(), "schemaVersion": info.schemaVersion,
            "takenAtMillis": info.takenAtMillis.map { Int($0) } ?? NSNull(), "bytes": Int(info.bytes), "streams": info.streams,
            "ownStreams": info.ownHeads.map { ["stream": $0.stream.description, "sequence": Int($0.sequence)] as [String: Any] },
        ]
    }
}
