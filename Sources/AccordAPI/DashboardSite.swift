import AccordHTTP
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation

/// The governance dashboard under `/dashboard`: server-rendered HTML pages for tokens whose role
/// has ``APIPermission/viewDashboard`` (governance, admin), and the profile page for those with
/// ``APIPermission/readRecords`` (steward, admin; audited). A person signs in by pasting a bearer
/// token into the login form; the answer sets an `HttpOnly; Secure; SameSite=Strict` session
/// cookie (``DashboardSessions``). Pages also take `Authorization: Bearer` (scripts); unit
/// certificates are not accepted. POSTs need the session's CSRF token and, when the browser
/// sends one, an `Origin` of this server.
struct DashboardSite: Sendable {
    /// The pages: path, navigation title.
    static let pages: [(path: String, title: String)] = [
        ("/dashboard", "Overview"), ("/dashboard/federation", "Federation"), ("/dashboard/quality", "Data quality"),
        ("/dashboard/consent", "Consent"), ("/dashboard/privacy", "Privacy"), ("/dashboard/consolidation", "Consolidation"),
        ("/dashboard/inventory", "Inventory"), ("/dashboard/segments", "Segments"),
    ]

    /// The steward's page: one person's profile, with personal data (``DashboardProfile``).
    static let profilePage = (path: "/dashboard/profile", title: "Profiles")

    /// Every route: method, path, name.
    static let routes: [(method: HTTPMethod, pattern: String, name: String)] =
        (pages + [profilePage]).map { (HTTPMethod.get, $0.path, "dashboard" + ($0.path == "/dashboard" ? "" : "." + $0.path.dropFirst("/dashboard/".count))) }
        + [(.get, "/dashboard/login", "dashboard.login_form"), (.post, "/dashboard/login", "dashboard.login"),
           (.post, "/dashboard/logout", "dashboard.logout")]

    let services: APIServices
    let sessions: DashboardSessions
    let figures: FiguresCache<GovernanceFigures>

    /// Whether `path` is the dashboard's.
    static func handles(_ path: String) -> Bool { path == "/dashboard" || path.hasPrefix("/dashboard/") }

    /// Answers a dashboard request; errors become HTML pages with their status.
    func respond(to request: HTTPRequest, client: HTTPClient) -> HTTPResponse {
        do {
            return try route(request, client: client)
        } catch let error as HTTPError {
            var page = DashboardPages.page(status: error.status, title: error.status.reason, session: nil, error.message)
            for field in error.headers { page.headers.add(field.name, field.value) }
            return page
        } catch {
            return DashboardPages.page(status: .internalServerError, title: "Internal error", session: nil, "internal error")
        }
    }

    private func route(_ request: HTTPRequest, client: HTTPClient) throws -> HTTPResponse {
        let path = request.path
        let methods = Self.routes.filter { $0.pattern == path }.map(\.method)
        guard !methods.isEmpty else { throw HTTPError(.notFound, "no dashboard page \(path.prefix(200))") }
        let method = request.method == .head ? HTTPMethod.get : request.method
        guard methods.contains(method) else { throw HTTPError.methodNotAllowed(request.method.rawValue, allowed: methods) }
        let reader = services.readers.lease(connection: client.connection)
        defer { reader.release() }
        switch (method, path) {
        case (.get, "/dashboard/login"):
            return DashboardPages.login(message: nil, status: .ok)
        case (.post, "/dashboard/login"):
            return try login(request, reader: reader)
        case (.post, "/dashboard/logout"):
            try checkOrigin(request)
            let (secret, session, _) = try signedIn(request, reader: reader)
            guard let secret, let session, try form(request).value("csrf") == session.csrf else {
                throw HTTPError(.forbidden, "the form's CSRF token does not match the session; reload the page and try again")
            }
            sessions.end(secret: secret)
            var response = HTTPResponse(status: HTTPStatus(303, "See Other"), headers: ["Location": "/dashboard/login"])
            response.headers.add("Set-Cookie", "\(DashboardSessions.cookieName)=; Path=/dashboard; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
            return DashboardPages.secured(response)
        default:
            let session: DashboardSessions.Session?
            let token: StoredToken
            do {
                (_, session, token) = try signedIn(request, reader: reader)
            } catch let error as HTTPError where error.status == .unauthorized && request.headers["Authorization"] == nil {
                return DashboardPages.secured(HTTPResponse(status: HTTPStatus(303, "See Other"), headers: ["Location": "/dashboard/login"]))
            }
            let role = APIRole(rawValue: token.role) ?? .viewer
            let navigation = Self.navigation(role)
            if path == Self.profilePage.path {
                return try profile(request, reader: reader, token: token, role: role, csrf: session?.csrf, navigation: navigation)
            }
            guard role.permissions.contains(.viewDashboard) else {
                throw HTTPError(.forbidden, "token \(token.name) (role \(role.rawValue)) may not open \(path) (needs role governance or admin)"
                                + (role.permissions.contains(.readRecords) ? "; profiles are at \(Self.profilePage.path)" : ""))
            }
            reader.release()
            let current = try figures.current { [services] in
                // Its own lease: a refresh runs after the request that started it has ended.
                let lease = services.readers.lease(connection: UInt64.max)
                defer { lease.release() }
                return try APIErrors.mapping { try lease.read { try GovernanceFigures.compute($0.node, peers: services.peers()) } }
            }
            let inventory = path == "/dashboard/inventory" ? try services.currentInventory() : nil
            var segments: [SegmentOverview]?
            if path == "/dashboard/segments" {
                let lease = services.readers.lease(connection: client.connection)
                defer { lease.release() }
                segments = try APIErrors.mapping { try lease.read { try SegmentOverview.load($0.node) } }
            }
            return DashboardPages.render(path, figures: current, inventory: inventory, segments: segments, csrf: session?.csrf, navigation: navigation)
        }
    }

    /// The pages a role may open, for the navigation.
    static func navigation(_ role: APIRole) -> [(path: String, title: String)] {
        (role.permissions.contains(.viewDashboard) ? pages : []) + (role.permissions.contains(.readRecords) ? [profilePage] : [])
    }

    /// `GET /dashboard/profile?q=`: the search, or one person's profile; audited like the API's personal-data routes.
    private func profile(_ request: HTTPRequest, reader: ReadLease, token: StoredToken, role: APIRole, csrf: String?,
                         navigation: [(path: String, title: String)]) throws -> HTTPResponse {
        guard role.permissions.contains(.readRecords) else {
            throw HTTPError(.forbidden, "token \(token.name) (role \(role.rawValue)) may not open \(Self.profilePage.path) (needs role steward or admin)")
        }
        let query = try request.query()
        try query.allowOnly(["q"])
        try services.trail.ensureRoom()
        let content: DashboardProfile.Content
        do {
            content = try reader.read { try DashboardProfile.load($0.node, query: try query.value("q")) }
        } catch {
            audit(token: token, subject: nil, detail: "refused: \((error as? HTTPError)?.status.code ?? 500)")
            throw error
        }
        let (subject, detail) = DashboardProfile.auditSubject(content)
        audit(token: token, subject: subject, detail: detail)
        let units = try reader.read { $0.node.policy.units.map(\.id) }
        return DashboardPages.profile(content, units: units, csrf: csrf, navigation: navigation)
    }

    /// Queues the access-log entry of a profile page view.
    private func audit(token: StoredToken, subject: String?, detail: String) {
        services.trail.record(AuditEntry(
            atMillis: Int64(Node.wallClock()), unit: services.unit.rawValue, operatorName: "token:\(token.name)", action: "dashboard.profile",
            subject: subject, detail: detail), shard: 0)
    }

    /// The caller's session (cookie) or bearer token, checked against the token store now.
    /// - Returns: the cookie secret and session, both `nil` for a bearer token, and the token.
    private func signedIn(_ request: HTTPRequest, reader: ReadLease) throws
        -> (secret: String?, session: DashboardSessions.Session?, token: StoredToken) {
        if let header = request.headers["Authorization"] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw HTTPError(.unauthorized, "the Authorization header must be \"Bearer <token>\"") }
            return (nil, nil, try checkToken(hash: APITokens.hash(String(parts[1])), reader: reader))
        }
        guard let secret = Self.cookie(request), let session = sessions.session(secret: secret) else {
            throw HTTPError(.unauthorized, "sign in at /dashboard/login")
        }
        do {
            return (secret, session, try checkToken(hash: session.tokenHash, reader: reader))
        } catch {
            sessions.end(secret: secret)
            throw error
        }
    }

    /// The token with this hash, if it is live and its role may open some page of the dashboard
    /// (each page then checks its own permission).
    private func checkToken(hash: [UInt8], reader: ReadLease) throws -> StoredToken {
        let stored = try reader.read { try $0.statements.token(hash: hash) }
        guard let token = stored, token.revokedAtMillis == nil, let role = APIRole(rawValue: token.role) else {
            throw HTTPError(.unauthorized, "the token is unknown or revoked")
        }
        guard !Self.navigation(role).isEmpty else {
            throw HTTPError(.forbidden, "token \(token.name) (role \(role.rawValue)) may not open the dashboard (needs role governance or admin)")
        }
        return token
    }

    private func login(_ request: HTTPRequest, reader: ReadLease) throws -> HTTPResponse {
        try checkOrigin(request)
        let token = try form(request).value("token")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard token.hasPrefix(APITokens.prefix), token.utf8.count < 128 else {
            return DashboardPages.login(message: "Paste a token from accord token create --role governance.", status: .unauthorized)
        }
        let hash = APITokens.hash(token)
        let stored: StoredToken
        do {
            stored = try checkToken(hash: hash, reader: reader)
        } catch let error as HTTPError {
            return DashboardPages.login(message: error.message, status: error.status)
        }
        let (secret, _) = try sessions.create(tokenHash: hash)
        let landing = Self.navigation(APIRole(rawValue: stored.role) ?? .viewer).first?.path ?? "/dashboard"
        var response = HTTPResponse(status: HTTPStatus(303, "See Other"), headers: ["Location": landing])
        response.headers.add("Set-Cookie", "\(DashboardSessions.cookieName)=\(secret); Path=/dashboard; Max-Age=\(Int(sessions.lifetime)); HttpOnly; Secure; SameSite=Strict")
        return DashboardPages.secured(response)
    }

    /// A form body (`application/x-www-form-urlencoded`).
    private func form(_ request: HTTPRequest) throws -> QueryParameters {
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            throw HTTPError(.unsupportedMediaType, "the form must be sent as application/x-www-form-urlencoded")
        }
        guard let text = String(validating: request.body, as: UTF8.self) else { throw HTTPError(.badRequest, "the form is not UTF-8") }
        return try QueryParameters(parsing: text)
    }

    /// Refuses a POST whose `Origin` names another site (browsers send it on cross-site POSTs).
    private func checkOrigin(_ request: HTTPRequest) throws {
        guard let origin = request.headers["Origin"] else { return }
        guard let host = request.headers["Host"], origin == "https://\(host)" else {
            throw HTTPError(.forbidden, "cross-site form posts are refused (Origin does not match this server)")
        }
    }

    /// The session cookie's value, if sent.
    static func cookie(_ request: HTTPRequest) -> String? {
        for header in request.headers.values("Cookie") {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == DashboardSessions.cookieName {
                    return pair[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}
