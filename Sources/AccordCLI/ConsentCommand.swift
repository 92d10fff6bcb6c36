import AccordCrypto
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation

/// `accord consent record|check`.
enum ConsentCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: consent record or consent check") }
        switch sub {
        case "record": try record(Array(raw.dropFirst()))
        case "check": try check(Array(raw.dropFirst()))
        case "receipt": try receipt(Array(raw.dropFirst()))
        default: throw UsageError(message: "unknown subcommand consent \(sub) (record, check or receipt)")
        }
    }

    private static func scope(_ text: String, node: Node) throws -> ConsentScope {
        switch text {
        case "company": return .company
        case "unit": return .unit(node.unit)
        case "line":
            guard let line = node.policy.unit(node.unit.rawValue)?.lineOfBusiness else {
                throw UsageError(message: "--scope line: unit \(node.unit) has no line of business in the policy")
            }
            return .lineOfBusiness(line)
        default:
            do { return try ConsentScope(parsing: text) } catch {
                throw UsageError(message: "--scope must be unit, line, company, unit=<id> or line=<id>")
            }
        }
    }

    private static func millis(_ text: String, _ name: String) throws -> Int64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { throw UsageError(message: "--\(name) must be a date (2027-01-31) or an ISO 8601 time") }
        return Int64(date.timeIntervalSince1970 * 1000)
    }

    private static func record(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "channel", "purpose", "scope", "decision", "frequency", "method",
                                                     "notice-version", "notice-text", "expires", "decided-at"], flags: ["implied", "json"])
        let localId = try arguments.positionals(exactly: ["local-id"])[0]
        guard let channel = arguments.option("channel"), let purpose = arguments.option("purpose") else {
            throw UsageError(message: "--channel and --purpose are required")
        }
        let choice: ConsentDecision.Choice
        switch arguments.option("decision") {
        case "opt-in": choice = .optIn
        case "opt-out": choice = .optOut
        default: throw UsageError(message: "--decision must be opt-in or opt-out")
        }
        let node = try CLI.openNode(arguments)
        let topic: ConsentTopic
        do {
            topic = try ConsentTopic(channel: channel, purpose: purpose, scope: try scope(arguments.option("scope") ?? "unit", node: node))
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError(message: "--channel and --purpose must be ids such as email and marketing")
        }
        var noticeHash: [UInt8] = []
        if let path = arguments.option("notice-text") {
            guard let text = FileManager.default.contents(atPath: path) else { throw NodeError(.notFound, "cannot read the notice text \(path)") }
            noticeHash = SHA256.hash([UInt8](text)).bytes
        }
        let decision = ConsentDecision(
            choice: choice, frequency: arguments.option("frequency"), expressed: !arguments.flag("implied"),
            decidedAtMillis: try arguments.option("decided-at").map { try millis($0, "decided-at") } ?? Int64(Node.wallClock()),
            method: arguments.option("method") ?? "unspecified", noticeVersion: arguments.option("notice-version") ?? "",
            noticeHash: noticeHash, expiresAtMillis: try arguments.option("expires").map { try millis($0, "expires") }, collectedBy: node.unit)
        let commit = try node.recordConsent(localId: localId, topic: topic, decision: decision)
        if arguments.flag("json") {
            try Output.json(["attribute": topic.attribute.rawValue, "entriesWritten": commit.entriesWritten])
        } else {
            Output.line("Recorded \(choice == .optIn ? "opt-in" : "opt-out") \(topic.attribute.rawValue) on \(node.unit)/\(localId)")
        }
    }

    /// The effective consent asked for by `check` and `receipt`: record, unit, channel, purpose.
    private static func evaluate(_ raw: [String], flags: Set<String>)
        throws -> (arguments: Arguments, node: Node, verdict: ConsentVerdict, asking: UnitID, channel: String, purpose: String)
    {
        let arguments = try Arguments(raw, options: ["node", "owner", "unit", "channel", "purpose"], flags: flags)
        let localId = try arguments.positionals(exactly: ["local-id"])[0]
        guard let channel = arguments.option("channel"), let purpose = arguments.option("purpose") else {
            throw UsageError(message: "--channel and --purpose are required")
        }
        let node = try CLI.openNode(arguments)
        let asking = try arguments.unit("unit") ?? node.unit
        let verdict = try node.checkConsent(localId: localId, owner: try arguments.unit("owner"), unit: asking, channel: channel, purpose: purpose)
        return (arguments, node, verdict, asking, channel, purpose)
    }

    /// The receipt of the decision that decides the effective consent (the same inputs as check).
    private static func receipt(_ raw: [String]) throws {
        let query = try evaluate(raw, flags: [])
        guard let deciding = query.verdict.deciding else { throw NodeError(.notFound, query.verdict.reason) }
        print(String(decoding: try ConsentReceipt.json(for: deciding, policy: query.node.policy, issuedAtMillis: Int64(Node.wallClock())), as: UTF8.self))
    }

    private static func check(_ raw: [String]) throws {
        let (arguments, _, verdict, asking, channel, purpose) = try evaluate(raw, flags: ["json"])
        if arguments.flag("json") {
            var object: [String: Any] = ["allowed": verdict.allowed, "reason": verdict.reason, "unit": asking.rawValue,
                                         "channel": channel, "purpose": purpose]
            if let frequency = verdict.frequency { object["frequency"] = frequency }
            if let deciding = verdict.deciding {
                var decidingObject: [String: Any] = [
                    "attribute": deciding.topic.attribute.rawValue, "author": deciding.author.rawValue,
                    "decidedAt": Output.isoTime(millis: UInt64(max(0, deciding.decision.decidedAtMillis))),
                    "method": deciding.decision.method, "noticeVersion": deciding.decision.noticeVersion]
                if let widening = deciding.widenedBy {
                    decidingObject["recordedAs"] = widening.from.attribute.rawValue
                    decidingObject["propagationRule"] = widening.rule
                }
                object["deciding"] = decidingObject
            }
            try Output.json(object)
        } else {
            Output.line("\(verdict.allowed ? "allowed" : "denied"): \(verdict.reason)"
                + (verdict.frequency.map { " (at most \($0))" } ?? ""))
        }
    }
}
