import AccordModel
import AccordPolicy
import AccordNode
import Foundation

/// `accord peer add|list|remove`: the peers a node connects to, kept in `node.json`.
enum PeerCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: peer add, peer list or peer remove") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "add":
            let arguments = try Arguments(rest, options: ["node"], flags: [])
            guard (1...2).contains(arguments.positionals.count) else {
                throw UsageError(message: arguments.positionals.isEmpty ? "missing UNIT" : "unexpected argument \"\(arguments.positionals[2])\"")
            }
            let unit = arguments.positionals[0]
            guard (try? UnitID(unit)) != nil else { throw UsageError(message: "UNIT must be a unit id such as retail") }
            let node = try CLI.openNode(arguments)
            guard node.policy.isMember(unit) else {
                throw NodeError(.invalidPolicy, "unit \"\(unit)\" is not a member of federation \(node.policy.federation) (policy v\(node.policy.version))")
            }
            // Without HOST:PORT, the endpoint the policy gives for the unit.
            guard let endpoint = arguments.positionals.count == 2 ? arguments.positionals[1] : node.policy.unit(unit)?.endpoint else {
                throw UsageError(message: "missing HOST:PORT: policy v\(node.policy.version) gives no endpoint for \(unit)")
            }
            guard parseEndpoint(endpoint) != nil else { throw UsageError(message: "HOST:PORT must look like 127.0.0.1:7402") }
            guard unit != node.unit.rawValue else { throw UsageError(message: "a node does not peer with itself") }
            try Node.updateConfig(directory: CLI.nodeDirectory(arguments)) { config in
                config.peers.removeAll { $0.unit == unit }
                config.peers.append(NodeConfig.Peer(unit: unit, endpoint: endpoint))
            }
            Output.line("Peer \(unit) at \(endpoint) added; a running `accord serve` picks it up on restart")
        case "remove":
            let arguments = try Arguments(rest, options: ["node"], flags: [])
            let unit = try arguments.positionals(exactly: ["unit"])[0]
            var removed = false
            try Node.updateConfig(directory: CLI.nodeDirectory(arguments)) { config in
                let before = config.peers.count
                config.peers.removeAll { $0.unit == unit }
                removed = config.peers.count < before
            }
            guard removed else { throw NodeError(.notFound, "no peer \(unit) in \(CLI.nodeDirectory(arguments))/node.json") }
            Output.line("Peer \(unit) removed")
        case "list":
            let arguments = try Arguments(rest, options: ["node"], flags: ["json"])
            _ = try arguments.positionals(exactly: [])
            let config = try CLI.openNode(arguments).config
            if arguments.flag("json") {
                try Output.json(config.peers.map { ["unit": $0.unit, "endpoint": $0.endpoint] })
            } else {
                Output.table(["UNIT", "ENDPOINT"], config.peers.map { [$0.unit, $0.endpoint] })
            }
        default:
            throw UsageError(message: "unknown subcommand peer \(sub)")
        }
    }

    /// Splits `host:port`; nil when malformed. Port 0 only when `allowAnyPort` (a listener).
    static func parseEndpoint(_ text: String, allowAnyPort: Bool = false) -> (host: String, port: UInt16)? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]),
              port > 0 || allowAnyPort else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }
}

/// `accord digest`: per share class, a digest of what the node holds.
enum DigestCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let digests = try CLI.openNode(arguments).digests()
        if arguments.flag("json") {
            try Output.json(digests)
        } else {
            Output.table(["CLASS", "DIGEST"], digests.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
        }
    }
}
