import AccordHTTP
import AccordNode
import AccordStore
import AccordModel
import Foundation

/// Answers the API's requests: route, authenticate, check the permission, run the handler, and
/// audit-log every request to a route that touches personal data (allowed or refused).
struct APIResponder: HTTPResponder {
    let router: Router<APIRoute>
    let services: APIServices
    let authenticator: Authenticator

    /// The import route's larger limit, only for a caller allowed to import (so an
    /// unauthenticated client cannot make the node buffer a large body).
    func bodyLimit(for head: HTTPRequestHead, client: HTTPClient, default limit: Int) -> Int {
        guard head.contentLength > limit, case .matched(let route, _)? = try? router.match(head.method, path: head.path), let larger = route.target.bodyLimit,
              let principal = try? authenticator.authenticate(HTTPRequest(head: head), client: client, reader: services.readers.lease(connection: client.connection)),
              route.target.permission.map(principal.permissions.contains) ?? true
        else { return limit }
        return larger
    }

    func respond(to request: HTTPRequest, client: HTTPClient) throws -> HTTPResponse {
        let route: APIRoute, parameters: PathParameters
        switch try router.match(request.method, path: request.path) {
        case .notFound:
            throw HTTPError(.notFound, "no route \(request.method.rawValue) \(request.path.prefix(200)) (see docs/openapi.json)")
        case .methodNotAllowed(let allowed):
            throw HTTPError.methodNotAllowed(request.method.rawValue, allowed: allowed)
        case .matched(let matched, let values):
            route = matched.target
            parameters = values
        }
        let reader = services.readers.lease(connection: client.connection)
        defer { reader.release() }
        let principal = try authenticator.authenticate(request, client: client, reader: reader)
        do {
            if let needed = route.permission, !principal.permissions.contains(needed) {
                let roles = needed.roles.map(\.rawValue).joined(separator: " or ")
                throw HTTPError(.forbidden, "\(principal.described) may not \(route.name) (needs permission \(needed.rawValue): role \(roles))")
            }
            if route.personalData { try services.trail.ensureRoom() }
            var response = try route.handler(
                APIRequest(http: request, parameters: parameters, principal: principal, services: services, reader: reader))
            response.headers.set("Cache-Control", "no-store")
            audit(route, request, parameters, principal, status: response.status.code, shard: client.connection)
            return response
        } catch {
            audit(route, request, parameters, principal, status: (error as? HTTPError)?.status.code ?? 500, shard: client.connection)
            throw error
        }
    }

    /// Queues the access-log entry of a request to a personal-data route.
    private func audit(
        _ route: APIRoute, _ request: HTTPRequest, _ parameters: PathParameters, _ principal: APIPrincipal, status: Int, shard: UInt64
    ) {
        guard route.personalData else { return }
        var subject: String?
        if let owner = parameters.values["owner"], let id = parameters.values["id"] { subject = "\(owner)/\(id)" }
        if let name = parameters.values["name"] { subject = "segment \(name.prefix(64))" }
        services.trail.record(AuditEntry(
            atMillis: Int64(Node.wallClock()), unit: services.unit.rawValue, operatorName: principal.operatorName, action: "api.\(route.name)",
            subject: subject, detail: "\(request.method.rawValue) \(status)"), shard: Int(shard % UInt64(AuditTrail.shards)))
    }
}
