import AccordCrypto
import AccordHTTP
import AccordModel
import AccordNode
import Foundation

/// `POST /v1/records/{owner}/{id}/interactions` and `POST /v1/records/{owner}/{id}/export`.
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

    /// An access request: everything this node holds on the record, with lineage (audited with a due date).
    static func export(_ request: APIRequest) throws -> HTTPResponse {
        let key = try request.record()
        _ = try request.query(allowing: [])
        guard request.http.body.isEmpty else { throw HTTPError(.badRequest, "an export takes no request body") }
        let operatorName = request.principal.operatorName
        let document = try request.write { node in try node.exportSubject(localId: key.localId, owner: key.unit, operatorName: operatorName) }
        return .json(serialized: [UInt8](document))
    }
}
