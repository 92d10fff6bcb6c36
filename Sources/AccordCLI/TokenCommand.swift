import AccordAPI
import AccordNode
import AccordStore
import Foundation

/// `accord token create|list|revoke`: bearer tokens of the HTTPS API.
enum TokenCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: token create, token list or token revoke") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "create": try create(rest)
        case "list": try list(rest)
        case "revoke": try revoke(rest)
        default: throw UsageError(message: "unknown subcommand token \(sub) (create, list or revoke)")
        }
    }

    private static func create(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "role", "name"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        guard let roleName = arguments.option("role") else { throw UsageError(message: "--role is required: viewer, steward, admin or governance") }
        guard let role = APIRole(rawValue: roleName) else { throw UsageError(message: "--role must be viewer, steward, admin or governance") }
        if let name = arguments.option("name"), !APITokens.isValidName(name) {
            throw UsageError(message: "--name has 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        let issued = try CLI.openNode(arguments).createToken(role: role, name: arguments.option("name"))
        if arguments.flag("json") {
            try Output.json(["id": issued.token.id, "name": issued.token.name, "role": issued.token.role, "token": issued.secret])
        } else {
            Output.line("Created token \(issued.token.id) (name \(issued.token.name), role \(issued.token.role)). It is shown only now:")
            Output.line(issued.secret)
        }
    }

    private static func list(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let tokens = try CLI.openNode(arguments).apiTokens()
        func time(_ millis: Int64) -> String { Output.isoTime(millis: UInt64(max(0, millis))) }
        if arguments.flag("json") {
            try Output.json(tokens.map { token -> [String: Any] in
                var object: [String: Any] = ["id": token.id, "name": token.name, "role": token.role, "createdAt": time(token.createdAtMillis),
                                             "createdBy": token.createdBy]
                if let revoked = token.revokedAtMillis { object["revokedAt"] = time(revoked) }
                return object
            })
        } else if tokens.isEmpty {
            Output.line("No tokens (create one with accord token create --role viewer|steward|admin|governance)")
        } else {
            Output.table(["ID", "NAME", "ROLE", "CREATED", "BY", "REVOKED"], tokens.map {
                [$0.id, $0.name, $0.role, time($0.createdAtMillis), $0.createdBy, $0.revokedAtMillis.map(time) ?? ""]
            })
        }
    }

    private static func revoke(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        let target = try arguments.positionals(exactly: ["id-or-name"])[0]
        let token = try CLI.openNode(arguments).revokeToken(target)
        if arguments.flag("json") {
            try Output.json(["id": token.id, "name": token.name, "revoked": true])
        } else {
            Output.line("Revoked token \(token.id) (name \(token.name)); requests with it are refused from now on")
        }
    }
}
