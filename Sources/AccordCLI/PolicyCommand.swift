import AccordCrypto
import AccordModel
import AccordNode
import AccordPolicy
import Foundation

/// `accord policy set-key|sign|check|publish|install|show|diff`: the federation policy's tooling.
enum PolicyCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: policy set-key, sign, check, publish, install, show or diff") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "set-key": try setKey(rest)
        case "sign": try sign(rest)
        case "check": try check(rest)
        case "show": try show(rest)
        case "diff": try diff(rest)
        case "install": try install(rest)
        case "publish": try publish(rest)
        default: throw UsageError(message: "unknown subcommand policy \(sub)")
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeError(.invalidPolicy, "cannot read the policy file \(path)")
        }
        return [UInt8](data)
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NodeError(.storage, "cannot write \(path)", cause: error)
        }
    }

    private static func parse(_ path: String) throws -> Policy {
        do {
            return try Policy.load(contentsOf: path)
        } catch {
            throw NodeError(.invalidPolicy, "\(path) is not a valid policy", cause: error)
        }
    }

    private static func setKey(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let path = try arguments.positionals(exactly: ["policy-file"])[0]
        let node = try CLI.openNode(arguments)
        try write(try PolicyKeys.setting([node.unit.rawValue: node.publicKeyBase64], in: try read(path)), to: path)
        Output.line("Set the signing key of unit \(node.unit) in \(path)")
    }

    private static func sign(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let path = try arguments.positionals(exactly: ["policy-file"])[0]
        let directory = CLI.nodeDirectory(arguments)
        let node = try Node(directory: directory)
        let signed = try node.signPolicy(try read(path))
        try write(signed, to: path)
        let policy = try parse(path)
        Output.line("Signed policy v\(policy.version) of federation \(policy.federation) as \(node.unit): \(path)")
    }

    private static func check(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let path = try arguments.positionals(exactly: ["policy-file"])[0]
        let policy = try parse(path)
        Output.line("\(path): valid policy v\(policy.version) of federation \(policy.federation) (\(policy.units.count) units, "
            + "\(policy.shareClasses.count) share classes, \(policy.attributes.count) attributes, \(policy.writeRules.count) write rules)")
        if policy.signature == nil {
            Output.line("Not signed: sign it with accord policy sign \(path) --node <governance node>")
        } else if case .denied(let reason) = PolicyTrust.checkSignature(policy) {
            throw NodeError(.notAllowed, reason)
        } else {
            Output.line("Signed by \(policy.signature!.signer); the signature verifies")
        }
        if arguments.option("node") != nil || ProcessInfo.processInfo.environment["ACCORD_NODE"] != nil {
            let node = try CLI.openNode(arguments)
            if case .denied(let reason) = PolicyTrust.checkUpdate(policy, held: node.policy) {
                throw NodeError(.notAllowed, "node \(node.unit) would refuse it: \(reason)")
            }
            Output.line("Node \(node.unit) (holding v\(node.policy.version)) would accept it")
        }
    }

    private static func install(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let path = try arguments.positionals(exactly: ["policy-file"])[0]
        let policy = try Node.installPolicy(try read(path), directory: CLI.nodeDirectory(arguments))
        Output.line("Installed policy v\(policy.version); restart accord serve to use it")
    }

    private static func publish(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let path = try arguments.positionals(exactly: ["policy-file"])[0]
        let directory = CLI.nodeDirectory(arguments)
        let published = try Node.publishPolicy(try read(path), directory: directory)
        try write(published.document, to: path)
        let policy = published.policy
        Output.line("Published policy v\(policy.version) of federation \(policy.federation): signed by \(policy.signature?.signer ?? "?") "
            + "and installed on \(directory) (\(path) holds the signed document)")
        Output.line("A running accord serve there adopts it within a second and sends it to every peer it is connected to.")
    }

    private static func show(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        let policy = node.policy
        if arguments.flag("json") {
            print(String(decoding: policy.canonicalJSON(), as: UTF8.self))
            return
        }
        Output.line("Federation \(policy.federation), policy v\(policy.version), "
            + (policy.signature.map { "signed by \($0.signer)" } ?? "not signed"))
        Output.table(["UNIT", "ROLES", "LINE", "ENDPOINT", "CERTIFICATE", "SIGNING KEY"], policy.units.map { unit in
            [unit.id, unit.roles.map(\.rawValue).sorted().joined(separator: ","), unit.lineOfBusiness ?? "", unit.endpoint ?? "",
             unit.certificateIdentity, unit.signingKey.map { Data($0).base64EncodedString().prefix(12) + "…" } ?? "none"]
        })
        Output.line("")
        Output.table(["SHARE CLASS", "AUDIENCE", "ATTRIBUTES"], policy.shareClasses.map { shareClass in
            let audience: String = switch shareClass.audience {
            case .all: "all"
            case .units(let units): units.sorted().joined(separator: ",")
            }
            return [shareClass.name, audience, policy.attributes.filter { $0.shareClass == shareClass.name }.map(\.name).joined(separator: ",")]
        })
        if let erasure = policy.erasure {
            Output.line("")
            Output.line("Erasure: requests and acknowledgements in class \(erasure.shareClass); requesters: \(erasure.requesters.sorted().joined(separator: ", "))")
        }
        if !policy.retention.isEmpty {
            Output.line("Retention: " + policy.retention.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) days" }.joined(separator: ", "))
        }
        for hold in policy.legalHolds {
            Output.line("Legal hold \(hold.id): \(hold.reason)" + (hold.reference.isEmpty ? "" : " (\(hold.reference))") + "; classes "
                + (hold.classes.map { $0.sorted().joined(separator: ",") } ?? "all") + ", records " + (hold.records.map { $0.sorted().joined(separator: ",") } ?? "all"))
        }
        for (index, rule) in (policy.consent?.propagation ?? []).enumerated() {
            Output.line("Consent propagation rule \(index): \(rule.channel)/\(rule.purpose) opt-outs at \(rule.from.rawValue) level count at \(rule.to.rawValue) level"
                + (rule.units.map { " (recorded by \($0.sorted().joined(separator: ",")))" } ?? ""))
        }
        if !policy.writeRules.isEmpty {
            Output.line("")
            for rule in policy.writeRules {
                Output.line("Write rule: \(rule.writer) may write \(rule.attributes.sorted().joined(separator: ",")) on records of "
                    + (rule.owners.map { $0.sorted().joined(separator: ",") } ?? "every member"))
            }
        }
    }

    private static func diff(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: [], flags: [])
        let paths = try arguments.positionals(exactly: ["old-policy", "new-policy"])
        let changes = PolicyDiff.changes(from: try parse(paths[0]), to: try parse(paths[1]))
        if changes.isEmpty { Output.line("No changes") }
        for change in changes { Output.line(change) }
    }
}
