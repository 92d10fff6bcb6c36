import AccordCrypto
import AccordHTTP
import AccordModel
import AccordNode
import Foundation

/// `POST /v1/records/{owner}/{id}/interactions`, `POST /v1/records/{owner}/{id}/export` and
/// `POST /v1/subject-exports`.
enum SubjectRoutes {
    /// Appends an interaction event: `{"type", "channel", "at"?, "id"?, "attributes"?: {"k": "v"}}`.
    static func interaction(_ request: APIRequest) throws -> HTTPResponse {
        let key = try request.ownRecord()
        let body = try request.body()
        try body.allowOnly(["type", "channel", "at", "id", "attributes"])
        let type = try body.string("type"), channel = try body.string("channel")
        let at = try ConsentRoutes.time(body, "at") ?? Int64(Node.wallClock())
        var attributes: [String: String] = [:]
        if let object = try body.optionalObject("attributes") {
            for (name, value) in object.members {
                guard case .string(let text) = value else { throw JSONFields.error(object.path(of: name), "expected a string, found \(value.typeName)") }
                attributes[name] = text
            }
        }
        let eventId = try body.optionalString("id") ?? SecureRandom.bytes(count: 8).map { String(format: "%02x", $0) }.joined()
        _ = try request.write { node in
            try node.recordInteraction(localId: key.localId, eventId: eventId,
                                       event: InteractionEvent(type: type, channel: channel, atMillis: at, attributes: attributes))
        }
        return .json(["attribute": .string("interaction:\(eventId)"), "eventId": .string(eventId)], status: .created)
    }

    /// An access request starting from one record: everything this node holds on the person, with
    /// lineage (audited with a due date).
    static func export(_ request: APIRequest) throws -> HTTPResponse {
        let key = try request.record()
        _ = try request.query(allowing: [])
        guard request.http.body.isEmpty else { throw HTTPError(.badRequest, "an export takes no request body") }
        return try export(request, [.record(key)])
    }

    /// An access request naming the person by records, emails and phone numbers:
    /// `{"records": ["unit/localId"], "emails": [...], "phones": [...]}` (at least one).
    static func exportPerson(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let body = try request.body()
        try body.allowOnly(["records", "emails", "phones"])
        var subjects: [ErasureSubject] = try body.optionalStrings("records").enumerated().map { index, text in
            guard let key = RecordKey(described: text) else {
                throw JSONFields.error(body.path(of: "records") + "[\(index)]", "expected a record key unit/localId")
            }
            return .record(key)
        }
        subjects += try body.optionalStrings("emails").map { .email($0) }
        subjects += try body.optionalStrings("phones").map { .phone($0) }
        guard !subjects.isEmpty else { throw JSONFields.error(body.path, "name the person: records, emails or phones (at least one)") }
        return try export(request, subjects)
    }

    private static func export(_ request: APIRequest, _ subjects: [ErasureSubject]) throws -> HTTPResponse {
        let operatorName = request.principal.operatorName
        // The serving node's profile service keeps the profiles current.
        let document = try request.write { node in try node.exportSubject(subjects, operatorName: operatorName, refreshProfiles: false) }
        return .json(serialized: [UInt8](document))
    }
}
