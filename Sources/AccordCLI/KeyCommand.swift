import AccordNode
import Foundation

/// `accord key rotate|draft`: rotating the unit's signing key through a policy version.
enum KeyCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: key rotate or key draft") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "rotate": try rotate(rest)
        case "draft": try draft(rest)
        default: throw UsageError(message: "unknown subcommand key \(sub)")
        }
    }

    private static func rotate(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        let rotation = try node.beginKeyRotation()
        if arguments.flag("json") {
            try Output.json(["nextKey": rotation.nextKey, "nextKeyPath": rotation.nextKeyPath, "retired": rotation.retiredPath as Any? ?? NSNull()] as [String: Any])
            return
        }
        if let retired = rotation.retiredPath { Output.line("completed the earlier rotation; the old key is kept as \(retired)") }
        Output.line("made the next signing key \(rotation.nextKeyPath) (public key \(rotation.nextKey))")
        Output.line("the node signs with its current key until it holds a policy listing the next one:")
        Output.line("  accord key draft NEXT_POLICY.json --node \(node.directory)   then publish it from the governance node")
    }

    private static func draft(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let path = try arguments.positionals(exactly: ["policy-file"])[0]
        let node = try CLI.openNode(arguments)
        guard let text = FileManager.default.contents(atPath: path) else {
            throw NodeError(.invalidPolicy, "cannot read the policy file \(path)")
        }
        let edited = try node.keyRotationDraft([UInt8](text))
        do {
            try Data(edited).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NodeError(.storage, "cannot write \(path)", cause: error)
        }
        Output.line("set the next signing key of unit \(node.unit) in \(path); the current key stays valid for batches of earlier versions")
    }
}
