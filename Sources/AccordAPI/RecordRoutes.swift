import AccordHTTP
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore

/// `GET /v1/records`, `GET` and `PATCH /v1/records/{owner}/{id}`.
enum RecordRoutes {
    /// Record keys in order, a page at a time: `?owner=&after=&limit=`; `next` is the `after` of the next page.
    static func list(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["owner", "after", "limit"])
        let owner = try query.value("owner").map { text in
            do { return try UnitID(text) } catch { throw HTTPError(.badRequest, "query parameter \"owner\" must be a unit id") }
        }
        let limit = try query.integer("limit", default: 100, range: 1...1000)
        let after = try query.value("after").map { text -> RecordKey in
            guard let slash = text.firstIndex(of: "/"), let unit = try? UnitID(String(text[..<slash])) else {
                throw HTTPError(.badRequest, "query parameter \"after\" must be a record key owner/localId (the \"next\" of the previous page)")
            }
            return RecordKey(unchecked: unit, localId: String(text[text.index(after: slash)...]))
        }
        let keys = try request.read { try $0.recordKeys(owner: owner, after: after, limit: limit) }
        return .json([
            "records": .array(keys.map { ["owner": .string($0.unit.rawValue), "localId": .string($0.localId)] }),
            "next": keys.count == limit ? .string(keys.last!.description) : .null,
        ])
    }

    /// A record with every author's entries.
    static func read(_ request: APIRequest) throws -> HTTPResponse {
        let key = try request.record()
        _ = try request.query(allowing: [])
        let states = try request.recordStates(key)
        guard !states.isEmpty else { throw HTTPError(.notFound, "no record \(key) on this node") }
        return .json(RecordJSON.record(key, states: states))
    }

    /// Writes values on one of this unit's records: `{"values": {"attr": "v" | ["a", "b"] | null}}`,
    /// normalized and validated as an import would.
    static func write(_ request: APIRequest) throws -> HTTPResponse {
        let key = try request.ownRecord()
        let body = try request.body()
        try body.allowOnly(["values"])
        let values = try body.object("values")
        guard !values.members.isEmpty else { throw JSONFields.error(values.path, "names no attribute") }
        let commit = try request.write { node -> LocalCommit in
            var changes: [String: Value?] = [:]
            for (name, json) in values.members {
                guard let definition = node.policy.attribute(name) else {
                    throw HTTPError(.unprocessableContent, "request body: \(values.path(of: name)): attribute is not in the policy's catalog")
                }
                changes[name] = try normalize(json, attribute: name, multiValued: definition.multiValued, at: values.path(of: name), node: node)
            }
            return try node.write(localId: key.localId, values: changes)
        }
        return .json(["entriesWritten": .int(commit.entriesWritten), "batchesSealed": .int(commit.batches.count)])
    }

    /// One attribute's JSON value, normalized: a string, an array of strings (multi-valued), or `null` (deletion).
    private static func normalize(_ json: JSON, attribute: String, multiValued: Bool, at path: String, node: Node) throws -> Value? {
        switch json {
        case .null:
            return nil
        case .string(let text):
            guard let value = try node.normalize(text, attribute: attribute, multiValued: false) else { return nil }
            if multiValued, case .text(let single) = value { return Value.makeSet([single]) }
            return value
        case .array(let items) where multiValued:
            var normalized: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else { throw JSONFields.error(path + "[\(index)]", "expected a string, found \(item.typeName)") }
                if case .text(let single)? = try node.normalize(text, attribute: attribute, multiValued: false) { normalized.append(single) }
            }
            return normalized.isEmpty ? nil : Value.makeSet(normalized)
        case .array:
            throw JSONFields.error(path, "attribute \(attribute) holds one value: expected a string or null, found array")
        default:
            throw JSONFields.error(path, "expected a string\(multiValued ? ", an array of strings" : "") or null, found \(json.typeName)")
        }
    }
}
