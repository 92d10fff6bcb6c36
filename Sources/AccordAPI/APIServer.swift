public import AccordHTTP
public import AccordNode
import AccordCrypto
import AccordModel
import AccordStore
import Foundation

/// The node's HTTPS API on its own port, next to sync: the routes of ``APIRoutes`` over
/// ``AccordHTTP/HTTPServer``, with the node's certificate. Clients authenticate with a bearer token
/// (people) or a client certificate of this node's unit (its systems; verified against the
/// federation CA, identity from the SAN as for sync); a certificate is optional in the handshake.
///
/// Reads run on read-only connections of their own (``ReadPool``), in parallel with the engine;
/// writes go through the engine's lock and wake the sync connections at once.
public final class APIServer: Sendable {
    /// Sizes, deadlines and pools.
    public struct Settings: Sendable {
        /// The HTTP server's limits and deadlines.
        public var http = HTTPServer.Settings()
        /// Most read-only connections at once.
        public var readers = 16
        /// Most body bytes of an import (other routes: ``AccordHTTP/HTTPLimits/maxBodyBytes``).
        public var maxImportBytes = 64 << 20
        /// Longest a TLS handshake may take, seconds.
        public var handshakeTimeout = 10.0
        /// Seconds between two writes of the access log.
        public var auditInterval = 0.1
        /// Access-log entries that may wait before personal-data requests are refused (503).
        public var auditCapacity = 100_000
        /// Whether the server keeps the node's profiles current (a ``AccordNode/ProfileService``
        /// while it runs), so the profile and review routes read fresh profiles.
        public var maintainProfiles = true
        /// How old the dashboard's figures may be before a page load computes them again, seconds
        /// (they scan every record state).
        public var dashboardFiguresMaxAge = 10.0
        /// How long a dashboard session lasts, seconds.
        public var dashboardSessionLifetime = 8 * 3600.0
        /// The default settings.
        public init() {}
    }

    private let server: HTTPServer
    private let engine: SyncEngine
    private let handshakeTimeout: Double
    private let trail: AuditTrail
    private let router: Router<APIRoute>
    private let profiles: ProfileService?

    /// The routes served, in the order of ``APIRoutes``: method, path pattern (`/v1/records/{owner}/{id}`),
    /// name (the audit action is `api.<name>`), the permission needed, whether it touches personal data.
    /// The dashboard's routes follow (permission ``APIPermission/viewDashboard``, except the login form
    /// and the profile page, which needs ``APIPermission/readRecords`` and shows personal data).
    public var routes: [(method: HTTPMethod, pattern: String, name: String, permission: APIPermission?, personalData: Bool)] {
        router.routes.map { ($0.method, $0.pattern, $0.target.name, $0.target.permission, $0.target.personalData) }
            + DashboardSite.routes.map { route in
                let profile = route.pattern == DashboardSite.profilePage.path
                return (route.method, route.pattern, route.name,
                        route.name == "dashboard.login_form" ? nil : profile ? APIPermission.readRecords : APIPermission.viewDashboard, profile)
            }
    }

    /// Prepares the API of the node `engine` serves; nothing runs before ``start(host:port:)``.
    /// - Parameters:
    ///   - engine: the serving node's engine.
    ///   - settings: sizes, deadlines and pools.
    ///   - logger: where to log (requests at debug level, refusals and failures above).
    ///   - peers: the sync peers' status now (`SyncService.peerStatus`), for `/v1/status`.
    /// - Throws: ``AccordNode/NodeError`` when the node has no TLS files, ``AccordCrypto/CryptoError`` when they do not load.
    public init(engine: SyncEngine, settings: Settings = Settings(), logger: Logger, peers: @escaping @Sendable () -> [PeerStatus] = { [] }) throws {
        let (directory, unit, nodeTLS) = try engine.withNode { node in (node.directory, node.unit, try node.tlsConfiguration()) }
        self.engine = engine
        self.handshakeTimeout = settings.handshakeTimeout
        let tls = Self.apiTLS(nodeTLS, engine: engine, handshakeTimeout: settings.handshakeTimeout)
        let log = logger.with(["api": "https"])
        trail = AuditTrail(engine: engine, interval: settings.auditInterval, capacity: settings.auditCapacity, logger: log)
        profiles = settings.maintainProfiles
            ? ProfileService(engine: engine, storePath: engine.withNode { $0.store.path }, logger: logger, interval: 0.2) : nil
        let router = APIRoutes.router(maxImportBytes: settings.maxImportBytes)
        self.router = router
        let counters = HTTPCounters()
        let services = APIServices(
            engine: engine, readers: ReadPool(directory: directory, engine: engine, size: settings.readers), trail: trail, unit: unit,
            directory: directory, settings: settings, peers: peers, counters: counters,
            inventory: FiguresCache(maxAge: settings.dashboardFiguresMaxAge))
        let responder = SiteResponder(
            api: APIResponder(router: router, services: services, authenticator: Authenticator(unit: unit.rawValue)),
            dashboard: DashboardSite(
                services: services, sessions: DashboardSessions(lifetime: settings.dashboardSessionLifetime),
                figures: FiguresCache(maxAge: settings.dashboardFiguresMaxAge)))
        let refusals = LogThrottle()
        server = HTTPServer(context: try TLSContext(configuration: tls, role: .server), settings: settings.http, responder: responder) { event in
            if case .answered(let method, let path, let status, let seconds) = event {
                counters.count(route: Self.routeLabel(router, method: method, path: path), status: status, seconds: seconds)
            }
            Self.log(event, log, refusals: refusals)
        }
    }

    /// The API's TLS settings from the node's: client certificates optional (people use bearer
    /// tokens), members of the policy in force admitted.
    private static func apiTLS(_ nodeTLS: TLSConfiguration, engine: SyncEngine, handshakeTimeout: Double) -> TLSConfiguration {
        var tls = nodeTLS
        tls.clientCertificates = .optional
        tls.handshakeTimeout = handshakeTimeout
        tls.acceptPeer = { [engine] identity in
            engine.isMember(identity.unit) ? .accept : .refuse("unit \(identity.unit) is not a member of the federation")
        }
        return tls
    }

    /// Loads the node's TLS files again for new connections; open ones keep theirs.
    /// - Throws: ``AccordNode/NodeError`` or ``AccordCrypto/CryptoError`` when they do not load (the old ones stay in use).
    public func reloadTLS() throws {
        let nodeTLS = try engine.withNode { try $0.tlsConfiguration() }
        server.replaceContext(try TLSContext(configuration: Self.apiTLS(nodeTLS, engine: engine, handshakeTimeout: handshakeTimeout), role: .server))
    }

    /// Starts the access log and the listener.
    /// - Returns: the port listened on.
    /// - Throws: ``AccordCrypto/CryptoError`` when the address cannot be bound.
    public func start(host: String, port: UInt16) throws -> UInt16 {
        trail.start()
        profiles?.start()
        return try server.start(host: host, port: port)
    }

    /// Waits, at most `timeout` seconds, until the server's profile service has loaded every record
    /// and brought the profiles up to date (at once when the server does not maintain profiles).
    /// - Returns: whether the profiles are being maintained now.
    public func waitForProfiles(timeout: Double) -> Bool {
        profiles?.waitForFirstStep(timeout: timeout) ?? true
    }

    /// Stops listening, lets requests in progress finish, and writes the access log out.
    public func stop() {
        server.stop()
        profiles?.stop()
        trail.stop()
    }

    /// The route pattern a request matched, for metric labels (`other` for paths that are no route).
    private static func routeLabel(_ router: Router<APIRoute>, method: String, path: String) -> String {
        let bare = String(path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        if DashboardSite.handles(bare) { return DashboardSite.routes.contains { $0.pattern == bare } ? bare : "/dashboard/*" }
        if let method = HTTPMethod(rawValue: method), case .matched(let route, _)? = try? router.match(method, path: bare) { return route.pattern }
        return "other"
    }

    private static func log(_ event: HTTPServerEvent, _ logger: Logger, refusals: LogThrottle) {
        switch event {
        case .listening(let port): logger.info("listening for the API", ["listen.port": "\(port)"])
        case .refusedConnection(let open, let limit):
            // At most one line per 10 s: a flood of connections must not flood the log.
            guard let suppressed = refusals.admit() else { return }
            logger.warning("refused an API connection", ["connections": "\(open)", "limit": "maxConnections \(limit)", "suppressed": "\(suppressed)"])
        case .handshakeFailed(let reason): logger.info("API handshake failed", ["reason": reason])
        case .answered(let method, let path, let status, let seconds):
            guard logger.minimum <= .debug else { return }  // the metadata is built only when it is written
            logger.debug("API request", ["http.method": method, "http.path": path, "http.status": "\(status)",
                                         "http.ms": String(format: "%.2f", seconds * 1000)])
        case .refusedRequest(let status, let message): logger.info("refused an API request", ["http.status": "\(status)", "reason": message])
        case .failed(let reason): logger.error("API request failed", ["reason": reason])
        }
    }
}
