import AccordModel
import AccordNode
import Foundation

/// `accord policy set-key`: puts a node's public signing key into a policy document.
enum PolicyCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: policy set-key") }
        switch sub {
        case "set-key":
            let arguments = try Arguments(Array(raw.dropFirst()), options: ["node"], flags: [])
            let path = try arguments.positionals(exactly: ["policy-file"])[0]
            let node = try CLI.openNode(arguments)
            guard let text = FileManager.default.contents(atPath: path) else {
                throw NodeError(.invalidPolicy, "cannot read the policy file \(path)")
            }
            let edited = try PolicyKeys.setting([node.unit.rawValue: node.publicKeyBase64], in: [UInt8](text))
            do {
                try Data(edited).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw NodeError(.storage, "cannot write \(path)", cause: error)
            }
            Output.line("Set the signing key of unit \(node.unit) in \(path)")
        default:
            throw UsageError(message: "unknown subcommand policy \(sub)")
        }
    }
}
