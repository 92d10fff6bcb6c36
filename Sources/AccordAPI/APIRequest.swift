import AccordHTTP
import AccordModel
import AccordNode
import AccordStore

/// One request as a handler sees it.
struct APIRequest {
    let http: HTTPRequest
    let parameters: PathParameters
    let principal: APIPrincipal
    let services: APIServices
    /// The request's reader (taken at the first read).
    let reader: ReadLease

    /// The query parameters, refusing names the route does not know.
    func query(allowing names: Set<String>) throws -> QueryParameters {
        let query = try http.query()
        try query.allowOnly(names)
        return query
    }

    /// The `{owner}` path parameter as a unit id.
    func owner() throws -> UnitID {
        do { return try UnitID(parameters["owner"]) } catch { throw HTTPError(.badRequest, "path: the owner must be a unit id ([a-z][a-z0-9_-]{0,62})") }
    }

    /// The record named by the path (`{owner}/{id}`).
    func record() throws -> RecordKey {
        let owner = try owner()
        do { return try RecordKey(unit: owner, localId: parameters["id"]) } catch {
            throw HTTPError(.badRequest, "path: a local id has 1 to 128 bytes without control characters")
        }
    }

    /// The record named by the path, which must be one of this unit's (writes).
    func ownRecord() throws -> RecordKey {
        let key = try record()
        guard key.unit == services.unit else {
            throw HTTPError(.forbidden, "unit \(services.unit) writes only its own records; \(key) belongs to \(key.unit)")
        }
        return key
    }

    /// The JSON body as an object.
    func body() throws -> JSONFields { try JSONFields(try http.json()) }

    /// Runs `body` on a read-only reader, with node errors given their status.
    func read<T>(_ body: (Node) throws -> T) throws -> T {
        try APIErrors.mapping { try reader.read { try body($0.node) } }
    }

    /// Every author's state on a record, read with the reader's prepared statement.
    func recordStates(_ key: RecordKey) throws -> [UnitID: RecordState] {
        try APIErrors.mapping { try reader.read { try $0.statements.recordStates(key) } }
    }

    /// Runs `body` with the node through the engine (the one writer), with node errors given
    /// their status, then wakes the sync connections so peers get the change at once. The
    /// request's read snapshot ends first, so that later reads see the write.
    func write<T>(_ body: (Node) throws -> T) throws -> T {
        reader.release()
        let result = try APIErrors.mapping { try services.engine.withNode(body) }
        services.engine.noteChange()
        return result
    }
}
