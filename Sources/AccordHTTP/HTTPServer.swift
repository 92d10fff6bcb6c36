public import AccordCrypto
import Foundation
import Synchronization

/// An HTTP/1.1 server over TLS 1.3: one thread per connection, keep-alive, and limits so that
/// neither many nor slow clients can hold it:
/// - at most ``Settings/maxConnections`` connections; more are closed at once;
/// - the TLS handshake within the context's ``AccordCrypto/TLSConfiguration/handshakeTimeout``;
/// - a request's header fields within ``Settings/headerTimeout`` of its first byte, the whole
///   request within ``Settings/requestTimeout`` (else 408 and close), and the next request of a
///   kept-alive connection within ``Settings/idleTimeout`` (else close): a client sending a
///   byte a second is dropped at the deadline, not kept alive by each byte;
/// - a response written with progress at least every ``Settings/writeTimeout``;
/// - sizes per ``HTTPLimits`` (see ``HTTPRequestParser``).
///
/// The process must ignore `SIGPIPE` (see ``AccordCrypto/TLSConnection``).
public final class HTTPServer: Sendable {
    /// Limits and deadlines.
    public struct Settings: Sendable {
        /// Size limits of requests.
        public var limits = HTTPLimits()
        /// Most connections open at once (handshaking, reading, answering or idle).
        public var maxConnections = 256
        /// Seconds from a request's first byte until its header fields must be complete.
        public var headerTimeout = 10.0
        /// Seconds from a request's first byte until its body must be complete.
        public var requestTimeout = 30.0
        /// Seconds a kept-alive connection may wait for its next request.
        public var idleTimeout = 60.0
        /// Seconds a response write may go without progress.
        public var writeTimeout = 30.0
        /// The default settings.
        public init() {}
    }

    private struct State {
        var listener: Int32?
        var sessions: [UInt64: HTTPSession] = [:]
        var nextConnection: UInt64 = 1
    }

    /// The TLS context for new connections (see ``replaceContext(_:)``).
    private let currentContext: Mutex<TLSContext>
    let settings: Settings
    let responder: any HTTPResponder
    let events: @Sendable (HTTPServerEvent) -> Void
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    private let threads = Atomic<Int>(0)

    /// Prepares a server; nothing runs before ``start(host:port:)``.
    /// - Parameters:
    ///   - context: a server TLS context (usually with optional client certificates).
    ///   - settings: limits and deadlines.
    ///   - responder: what answers requests.
    ///   - events: called for logs and metrics, on the connection threads.
    public init(
        context: TLSContext, settings: Settings = Settings(), responder: any HTTPResponder,
        events: @escaping @Sendable (HTTPServerEvent) -> Void = { _ in }
    ) {
        precondition(context.role == .server, "an HTTPServer needs a server TLS context")
        self.currentContext = Mutex(context)
        self.settings = settings
        self.responder = responder
        self.events = events
    }

    /// Serves every new connection with `context` (certificates reloaded); connections already
    /// open keep the context they started with.
    public func replaceContext(_ context: TLSContext) {
        precondition(context.role == .server, "an HTTPServer needs a server TLS context")
        currentContext.withLock { $0 = context }
    }

    /// Starts listening and accepting on a thread of its own.
    /// - Parameters:
    ///   - host: the address to bind, for example `127.0.0.1`.
    ///   - port: the port; 0 lets the system choose.
    /// - Returns: the port listened on.
    /// - Throws: ``AccordCrypto/CryptoError`` when the address cannot be bound.
    public func start(host: String, port: UInt16) throws -> UInt16 {
        let (fd, bound) = try Socket.listen(host: host, port: port, backlog: 512)
        state.withLock { $0.listener = fd }
        spawn("accord-http-accept") { [self] in acceptLoop(fd) }
        events(.listening(port: bound))
        return bound
    }

    /// How many connections are open now.
    public var connectionCount: Int { state.withLock { $0.sessions.count } }

    /// Whether the server is stopping (sessions then close after their current response).
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Stops accepting, closes idle connections, lets requests in progress finish, and waits
    /// (up to `timeout` seconds) for every connection thread; then closes what is left.
    public func stop(timeout: Double = 5) {
        stopping.store(true, ordering: .releasing)
        if let fd = state.withLock({ state -> Int32? in defer { state.listener = nil }; return state.listener }) {
            _ = shutdown(fd, Int32(SHUT_RDWR))
            Socket.close(fd)
        }
        for session in state.withLock({ Array($0.sessions.values) }) { session.interrupt(force: false) }
        let deadline = Date().addingTimeInterval(timeout)
        while threads.load(ordering: .acquiring) > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        for session in state.withLock({ Array($0.sessions.values) }) { session.interrupt(force: true) }
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        threads.add(1, ordering: .relaxed)
        let thread = Thread { [self] in
            body()
            threads.subtract(1, ordering: .releasing)
        }
        thread.name = name
        thread.stackSize = 512 << 10
        thread.start()
    }

    private func acceptLoop(_ listener: Int32) {
        while !isStopping {
            let fd: Int32
            do {
                fd = try Socket.accept(listener)
            } catch {
                if isStopping { return }
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            // Sessions are registered before their thread starts, so the cap counts them at once.
            let id = state.withLock { state -> UInt64? in
                guard state.sessions.count < settings.maxConnections else { return nil }
                let id = state.nextConnection
                state.nextConnection += 1
                state.sessions[id] = HTTPSession(id: id, descriptor: fd, server: self)
                return id
            }
            guard let id else {
                Socket.close(fd)
                events(.refusedConnection(open: connectionCount, limit: settings.maxConnections))
                continue
            }
            spawn("accord-http-\(id)") { [self] in
                guard let session = state.withLock({ $0.sessions[id] }) else { return }
                session.run(context: currentContext.withLock { $0 })
                _ = state.withLock { $0.sessions.removeValue(forKey: id) }
            }
        }
    }
}
