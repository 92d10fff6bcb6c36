import AccordHTTP
import AccordModel
import AccordNode
import AccordStore

/// One route of the API: its name (for the audit log and logs), what the caller needs, whether
/// it touches personal data (then every request is audit-logged), and its handler.
struct APIRoute: Sendable {
    /// `records.read`, `consent.check`, ...; the audit action is `api.<name>`.
    let name: String
    /// What the caller must be allowed; `nil`: any authenticated caller.
    let permission: APIPermission?
    /// Whether requests read or change personal data (and so are audit-logged).
    let personalData: Bool
    /// The most body bytes, when more than the server's default.
    let bodyLimit: Int?
    /// Answers a request.
    let handler: @Sendable (APIRequest) throws -> HTTPResponse

    init(_ name: String, _ permission: APIPermission?, personalData: Bool, bodyLimit: Int? = nil,
         _ handler: @escaping @Sendable (APIRequest) throws -> HTTPResponse) {
        self.name = name
        self.permission = permission
        self.personalData = personalData
        self.bodyLimit = bodyLimit
        self.handler = handler
    }
}

/// What every handler shares: the engine (writes), the readers, the access log, the peers' status.
struct APIServices: Sendable {
    let engine: SyncEngine
    let readers: ReadPool
    let trail: AuditTrail
    let unit: UnitID
    let directory: String
    let settings: APIServer.Settings
    let peers: @Sendable () -> [PeerStatus]
}

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

/// Node errors as HTTP errors: what the caller got wrong gets a 4xx with the node's message;
/// what failed underneath stays as it is (a generic 500, logged).
enum APIErrors {
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NodeError {
            switch error.code {
            case .notFound: throw HTTPError(.notFound, error.message, cause: error)
            case .notAllowed, .importFailed: throw HTTPError(.unprocessableContent, error.description, cause: error)
            default: throw error
            }
        }
    }
}
