import AccordModel
import AccordNode
import AccordPolicy
import Foundation

/// `accord unit add`: the governance node adds a member (see ``UnitAddition``).
enum UnitCommand {
    static func run(_ raw: [String]) throws {
        guard raw.first == "add" else { throw UsageError(message: "usage: accord unit add UNIT --node GOVERNANCE_NODE --out NEW_NODE_DIR [...]") }
        let arguments = try Arguments(Array(raw.dropFirst()), options: ["node", "out", "name", "line", "country", "endpoint", "receive",
                                                                        "peer", "policy-out"], flags: ["requester", "json"])
        let unit = try arguments.positionals(exactly: ["unit"])[0]
        guard (try? UnitID(unit)) != nil else { throw UsageError(message: "UNIT must be a unit id such as marketing") }
        guard let out = arguments.option("out") else { throw UsageError(message: "missing --out NEW_NODE_DIR: where to create the new unit's node") }
        if let endpoint = arguments.option("endpoint"), PeerCommand.parseEndpoint(endpoint) == nil {
            throw UsageError(message: "--endpoint must look like 10.0.0.9:7405")
        }
        var peer: NodeConfig.Peer?
        if let text = arguments.option("peer") {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, (try? UnitID(parts[0])) != nil, PeerCommand.parseEndpoint(parts[1]) != nil else {
                throw UsageError(message: "--peer must look like retail=127.0.0.1:7401")
            }
            peer = NodeConfig.Peer(unit: parts[0], endpoint: parts[1])
        }
        let member = UnitAddition.Member(
            id: unit, name: arguments.option("name"), lineOfBusiness: arguments.option("line"), country: arguments.option("country"),
            endpoint: arguments.option("endpoint"),
            receives: arguments.option("receive").map { $0.split(separator: ",").map(String.init) } ?? [], requester: arguments.flag("requester"))
        let governance = CLI.nodeDirectory(arguments)
        let published = try UnitAddition.add(member, governance: governance, newNode: out)
        if let peer { try Node.updateConfig(directory: out) { config in config.peers = [peer] } }
        if let path = arguments.option("policy-out") {
            do {
                try Data(published.document).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw NodeError(.storage, "cannot write \(path)", cause: error)
            }
        }
        if arguments.flag("json") {
            try Output.json(["unit": unit, "policyVersion": published.policy.version, "governance": governance, "node": out])
            return
        }
        Output.line("Added unit \(unit): policy v\(published.policy.version) signed and published on \(governance); "
            + "its accord serve sends it to every peer")
        Output.line("Created its node in \(out) (signing key keys/signing.pem; starting policy v\(published.policy.version))")
        Output.line("Next: issue its certificate (ops/federation-ca.sh issue CA_DIR \(unit) --out \(out)/tls, and copy ca.pem there), "
            + (peer == nil ? "add a peer (accord peer add UNIT [HOST:PORT] --node \(out)), " : "") + "then accord serve --node \(out)")
    }
}
