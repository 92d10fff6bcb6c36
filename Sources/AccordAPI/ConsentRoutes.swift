import AccordHTTP
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation

/// `POST`/`GET /v1/records/{owner}/{id}/consent`, `GET .../consent/receipt`.
enum ConsentRoutes {
    /// Records a decision the customer made through this unit, with its evidence.
    static func record(_ request: APIRequest) throws -> HTTPResponse {
        let key = try request.ownRecord()
        let body = try request.body()
        try body.allowOnly(["channel", "purpose", "scope", "decision", "frequency", "expressed", "method", "noticeVersion",
                            "noticeSHA256", "decidedAt", "expiresAt"])
        let channel = try body.string("channel"), purpose = try body.string("purpose")
        let choice: ConsentDecision.Choice
        switch try body.string("decision") {
        case "opt-in": choice = .optIn
        case "opt-out": choice = .optOut
        default: throw JSONFields.error(body.path(of: "decision"), "must be opt-in or opt-out")
        }
        var noticeHash: [UInt8] = []
        if let hex = try body.optionalString("noticeSHA256") {
            guard let bytes = Self.bytes(hex: hex), bytes.count == 32 else {
                throw JSONFields.error(body.path(of: "noticeSHA256"), "must be 64 hex digits (the SHA-256 of the notice text)")
            }
            noticeHash = bytes
        }
        let decidedAt = try time(body, "decidedAt") ?? Int64(Node.wallClock())
        let expiresAt = try time(body, "expiresAt")
        let frequency = try body.optionalString("frequency"), expressed = try body.bool("expressed", default: true)
        let method = try body.optionalString("method") ?? "api", noticeVersion = try body.optionalString("noticeVersion") ?? ""
        let scopeText = try body.optionalString("scope") ?? "unit"
        let operatorName = request.principal.operatorName
        let (topic, commit) = try request.write { node -> (ConsentTopic, LocalCommit) in
            let topic: ConsentTopic
            do {
                topic = try ConsentTopic(channel: channel, purpose: purpose, scope: try scope(scopeText, node: node, at: body.path(of: "scope")))
            } catch let error as HTTPError {
                throw error
            } catch {
                throw JSONFields.error(body.path, "channel and purpose must be ids such as email and marketing ([a-z][a-z0-9_-]{0,62})")
            }
            let decision = ConsentDecision(
                choice: choice, frequency: frequency, expressed: expressed, decidedAtMillis: decidedAt, method: method,
                noticeVersion: noticeVersion, noticeHash: noticeHash, expiresAtMillis: expiresAt, collectedBy: node.unit)
            return (topic, try node.recordConsent(localId: key.localId, topic: topic, decision: decision, operatorName: operatorName))
        }
        return .json(["attribute": .string(topic.attribute.rawValue), "entriesWritten": .int(commit.entriesWritten)], status: .created)
    }

    /// The effective consent for a unit (`?unit=`, default this one), channel and purpose, with its reason.
    static func check(_ request: APIRequest) throws -> HTTPResponse {
        let (verdict, asking, channel, purpose, _) = try evaluate(request)
        var object: [String: JSON] = [
            "allowed": .bool(verdict.allowed), "reason": .string(verdict.reason), "unit": .string(asking.rawValue),
            "channel": .string(channel), "purpose": .string(purpose),
        ]
        if let frequency = verdict.frequency { object["frequency"] = .string(frequency) }
        if let deciding = verdict.deciding {
            object["deciding"] = [
                "attribute": .string(deciding.topic.attribute.rawValue), "author": .string(deciding.author.rawValue),
                "decision": RecordJSON.decision(deciding.decision),
            ]
        }
        return .json(.object(object))
    }

    /// The consent receipt of the deciding decision (404 when nothing decides: denied by default).
    static func receipt(_ request: APIRequest) throws -> HTTPResponse {
        let (verdict, _, _, _, policy) = try evaluate(request)
        guard let deciding = verdict.deciding else { throw HTTPError(.notFound, "no decision decides this consent: \(verdict.reason)") }
        let data = try ConsentReceipt.json(for: deciding, policy: policy, issuedAtMillis: Int64(Node.wallClock()))
        return .json(serialized: [UInt8](data))
    }

    private static func evaluate(_ request: APIRequest) throws -> (ConsentVerdict, UnitID, String, String, Policy) {
        let key = try request.record()
        let query = try request.query(allowing: ["unit", "channel", "purpose"])
        let channel = try query.required("channel"), purpose = try query.required("purpose")
        let asking = try query.value("unit").map { text in
            do { return try UnitID(text) } catch { throw HTTPError(.badRequest, "query parameter \"unit\" must be a unit id") }
        } ?? request.services.unit
        return try request.read { node in
            let verdict = try node.checkConsent(localId: key.localId, owner: key.unit, unit: asking, channel: channel, purpose: purpose)
            return (verdict, asking, channel, purpose, node.policy)
        }
    }

    /// `unit`, `line`, `company`, `unit=<id>` or `line=<id>`.
    private static func scope(_ text: String, node: Node, at path: String) throws -> ConsentScope {
        switch text {
        case "company": return .company
        case "unit": return .unit(node.unit)
        case "line":
            guard let line = node.policy.unit(node.unit.rawValue)?.lineOfBusiness else {
                throw HTTPError(.unprocessableContent, "request body: \(path): unit \(node.unit) has no line of business in the policy")
            }
            return .lineOfBusiness(line)
        default:
            do { return try ConsentScope(parsing: text) } catch {
                throw JSONFields.error(path, "must be unit, line, company, unit=<id> or line=<id>")
            }
        }
    }

    /// An optional ISO 8601 date or time member, as milliseconds.
    static func time(_ body: JSONFields, _ key: String) throws -> Int64? {
        guard let text = try body.optionalString(key) else { return nil }
        guard let millis = Timestamp.parse(text) else {
            throw JSONFields.error(body.path(of: key), "must be a date (2027-01-31) or an ISO 8601 time (2026-05-01T12:00:00Z)")
        }
        return millis
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        let isHex = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) }
        guard digits.count % 2 == 0, digits.allSatisfy(isHex) else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let pair = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(pair)
        }
        return bytes
    }
}
