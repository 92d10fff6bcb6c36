public import AccordCrypto
import AccordLedger
public import AccordSync
import Foundation
import Synchronization

/// A node serving sync: it listens for peers, dials the peers in its configuration (redialing
/// with exponential backoff and jitter), and runs one ``PeerLink`` per connection on its own
/// thread. New local batches reach connected peers at once; the sessions' periodic summaries
/// repair whatever was missed.
public final class SyncService: Sendable {
    /// Timing and size settings.
    public struct Settings: Sendable {
        /// Wait between two redials of a peer, at first; doubles up to ``maxBackoff``.
        public var minBackoff: Double = 0.2
        /// Longest wait between two redials.
        public var maxBackoff: Double = 10
        /// How long a blocking read waits before the link checks whether it should stop; also how
        /// often the service looks for writes by other processes.
        public var pollInterval: Double = 0.05
        /// How often a connection runs the session's timers (summaries, pings, idle timeout).
        public var tickInterval: Double = 0.25
        /// How often maintenance runs (``SyncEngine/runMaintenance()``: erasures owed, retention); also once at start.
        public var retentionInterval: Double = 3600
        /// How often saved segments are checked for a figure due today (``SyncEngine/recordSegmentFiguresIfDue()``).
        public var segmentFiguresInterval: Double = 60
        /// How often the node directory's policy file is checked for a version installed by another process.
        public var policyCheckInterval: Double = 1
        /// Most inbound connections at once (in handshake or established); one more is closed at
        /// accept, with a warning naming the limit.
        public var maxInboundConnections: Int = 64
        /// Seconds an inbound connection has, from accept, for its TLS handshake and its hello;
        /// a silent or slow client is dropped after that and its slot freed.
        public var helloDeadline: Double = 10
        /// Session settings (flow control, frame size, anti-entropy, timeouts).
        public var session: SyncSession.Configuration
        /// Creates settings for a unit.
        public init(unit: String) { session = SyncSession.Configuration(localUnit: unit) }
    }

    private struct State {
        var listener: Int32?
        var peers: [String: PeerStatus] = [:]
        var links: [ObjectIdentifier: PeerLink] = [:]
        var inbound = 0
    }

    private let engine: SyncEngine
    /// The TLS contexts for new connections (replaced by ``reloadTLS(_:)``; open connections keep theirs).
    private let contexts: Mutex<(server: TLSContext, client: TLSContext)>
    private let settings: Settings
    private let logger: Logger
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    /// Connections refused over the cap, and handshakes that timed out (silent or slow clients), are
    /// logged at most once per 10 s each; other refusals (certificates, protocol) are always logged.
    private let capRefusals = LogThrottle()
    private let handshakeTimeouts = LogThrottle()

    /// Prepares the service; nothing runs before ``start(listen:peers:)``.
    /// - Parameters:
    ///   - engine: the node's engine.
    ///   - tls: the node's TLS files; peers are admitted by ``SyncEngine/admitPeer(_:)`` (members of the policy in force).
    ///   - settings: timing and size settings.
    ///   - logger: where to log.
    /// - Throws: ``AccordCrypto/CryptoError`` when the TLS files cannot be loaded.
    public init(engine: SyncEngine, tls: TLSConfiguration, settings: Settings, logger: Logger) throws {
        self.engine = engine
        self.contexts = Mutex(try Self.contexts(tls, engine: engine, helloDeadline: settings.helloDeadline))
        self.settings = settings
        self.logger = logger
    }

    private static func contexts(_ tls: TLSConfiguration, engine: SyncEngine, helloDeadline: Double) throws -> (server: TLSContext, client: TLSContext) {
        // Peers are admitted under the policy in force at each handshake, not the one at start.
        var configuration = tls
        configuration.acceptPeer = { [engine] identity in engine.admitPeer(identity.unit) }  // also checks the certificate identity
        // An accepted connection must finish its handshake (and then say hello) within the deadline.
        var server = configuration
        server.handshakeTimeout = min(configuration.handshakeTimeout, helloDeadline)
        return (server: try TLSContext(configuration: server, role: .server),
                client: try TLSContext(configuration: configuration, role: .client))
    }

    /// Loads the TLS files again (certificate, key, CA bundle, CRL) for every new connection, in
    /// and out; open sessions keep running on the contexts they started with, so no peer is dropped.
    /// On failure the contexts in use stay.
    /// - Throws: ``AccordCrypto/CryptoError`` when the files do not load (the message names them).
    public func reloadTLS(_ tls: TLSConfiguration) throws {
        let fresh = try Self.contexts(tls, engine: engine, helloDeadline: settings.helloDeadline)
        contexts.withLock { $0 = fresh }
    }

    /// Starts listening (when `listen` is given) and dialing `peers`.
    /// - Parameters:
    ///   - listen: `host` and `port` to listen on; port 0 lets the system choose.
    ///   - peers: units and endpoints to dial.
    /// - Returns: the port listened on, if listening.
    /// - Throws: ``AccordCrypto/CryptoError`` when the listener cannot bind.
    /// - Parameter statusSink: called about once a second with every peer's status (for `accord status`).
    @discardableResult
    public func start(
        listen: (host: String, port: UInt16)?, peers: [(unit: String, host: String, port: UInt16)],
        statusSink: (@Sendable ([PeerStatus]) -> Void)? = nil
    ) throws -> UInt16? {
        var boundPort: UInt16?
        spawn("accord-watch") { [self] in
            var lastStatus = Date.distantPast
            var lastRetention = Date.distantPast
            var lastPolicyCheck = Date()
            var lastSegmentCheck = Date.distantPast
            while !isStopping {
                engine.checkExternalWrites()
                if Date().timeIntervalSince(lastRetention) >= settings.retentionInterval {
                    lastRetention = Date()
                    engine.runMaintenance()
                }
                if Date().timeIntervalSince(lastPolicyCheck) >= settings.policyCheckInterval {
                    lastPolicyCheck = Date()
                    engine.checkInstalledPolicy()
                    engine.purgeErasedBytesIfOwed()
                }
                if Date().timeIntervalSince(lastSegmentCheck) >= settings.segmentFiguresInterval {
                    lastSegmentCheck = Date()
                    engine.recordSegmentFiguresIfDue()
                }
                if let statusSink, Date().timeIntervalSince(lastStatus) >= 1 {
                    lastStatus = Date()
                    statusSink(peerStatus())
                }
                Thread.sleep(forTimeInterval: settings.pollInterval)
            }
            statusSink?(peerStatus())
        }
        if let listen {
            let (fd, port) = try Socket.listen(host: listen.host, port: listen.port)
            boundPort = port
            state.withLock { $0.listener = fd }
            spawn("accord-listen") { [self] in acceptLoop(fd) }
            logger.info("listening for sync", ["listen.port": "\(port)"])
        }
        for peer in peers {
            state.withLock { $0.peers[peer.unit] = PeerStatus(unit: peer.unit, connected: false, lastContactMillis: 0, vector: []) }
            spawn("accord-dial-\(peer.unit)") { [self] in dialLoop(unit: peer.unit, host: peer.host, port: peer.port) }
        }
        return boundPort
    }

    /// Stops listening, ends every connection, and waits (up to `timeout` seconds) for the threads.
    public func stop(timeout: Double = 5) {
        stopped.store(true, ordering: .releasing)
        if let fd = state.withLock({ $0.listener }) { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
        for link in state.withLock({ Array($0.links.values) }) { link.close("the node is stopping") }
        let deadline = Date().addingTimeInterval(timeout)
        while running.load(ordering: .acquiring) > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }

    /// What the service knows about each peer.
    public func peerStatus() -> [PeerStatus] {
        state.withLock { Array($0.peers.values) }.sorted { $0.unit < $1.unit }
    }

    private var isStopping: Bool { stopped.load(ordering: .acquiring) }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        running.add(1, ordering: .relaxed)
        let thread = Thread { [self] in
            body()
            running.subtract(1, ordering: .releasing)
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func acceptLoop(_ listener: Int32) {
        while !isStopping {
            let fd: Int32
            do {
                fd = try Socket.accept(listener)
            } catch {
                if !isStopping { logger.warning("accept failed", ["reason": "\(error)"]) }
                continue
            }
            let limit = settings.maxInboundConnections
            guard state.withLock({ state in
                guard state.inbound < limit else { return false }
                state.inbound += 1
                return true
            }) else {
                if let suppressed = capRefusals.admit() {
                    logger.warning("refused a sync connection", [
                        "reason": "\(limit) inbound connections already open (limit maxInboundConnections)", "suppressed": "\(suppressed)",
                    ])
                }
                Socket.close(fd)
                continue
            }
            spawn("accord-peer") { [self] in
                defer { state.withLock { $0.inbound -= 1 } }
                do {
                    let acceptedAt = ProcessInfo.processInfo.systemUptime
                    Socket.setTimeouts(fd, read: settings.pollInterval, write: 30)
                    let connection = try TLSConnection.accept(socket: fd, context: contexts.withLock { $0.server })
                    // The hello must come within what is left of the deadline.
                    runLink(connection, helloTimeout: max(0.05, settings.helloDeadline - (ProcessInfo.processInfo.systemUptime - acceptedAt)))
                } catch let error as CryptoError where error.code == .timedOut {
                    if let suppressed = handshakeTimeouts.admit() {
                        logger.warning("refused a sync connection", ["reason": "\(error)", "suppressed": "\(suppressed)"])
                    }
                } catch {
                    logger.warning("refused a sync connection", ["reason": "\(error)"])
                }
            }
        }
    }

    private func dialLoop(unit: String, host: String, port: UInt16) {
        var backoff = settings.minBackoff
        let log = logger.with(["peer.unit": unit])
        while !isStopping {
            do {
                let fd = try Socket.connect(host: host, port: port, timeout: 5)
                Socket.setTimeouts(fd, read: settings.pollInterval, write: 30)
                let connection = try TLSConnection.connect(socket: fd, context: contexts.withLock { $0.client }, serverUnit: unit)
                backoff = settings.minBackoff
                let reason = runLink(connection)
                log.info("sync connection ended; redialing", ["reason": reason])
            } catch {
                update(unit) { $0.lastError = "\(error)" }
                log.debug("cannot reach peer", ["reason": "\(error)"])
            }
            // Exponential backoff with full jitter, in small steps so stop() is quick.
            let wait = Double.random(in: backoff / 2...backoff)
            backoff = min(backoff * 2, settings.maxBackoff)
            let until = Date().addingTimeInterval(wait)
            while !isStopping && Date() < until { Thread.sleep(forTimeInterval: 0.02) }
        }
    }

    @discardableResult
    private func runLink(_ connection: TLSConnection, helloTimeout: Double? = nil) -> String {
        do {
            var session = settings.session
            if let helloTimeout { session.helloTimeout = min(session.helloTimeout, helloTimeout) }
            let link = try PeerLink(
                connection: connection, engine: engine, logger: logger, configuration: session,
                tickInterval: settings.tickInterval, stopping: { [self] in isStopping },
                report: { [self] status in update(status.unit) { $0 = status } })
            state.withLock { $0.links[ObjectIdentifier(link)] = link }
            defer { _ = state.withLock { $0.links.removeValue(forKey: ObjectIdentifier(link)) } }
            if isStopping { link.close("the node is stopping") }
            return link.run()
        } catch {
            connection.close()
            return "\(error)"
        }
    }

    private func update(_ unit: String, _ change: (inout PeerStatus) -> Void) {
        state.withLock { state in
            var status = state.peers[unit] ?? PeerStatus(unit: unit, connected: false, lastContactMillis: 0, vector: [])
            change(&status)
            state.peers[unit] = status
        }
    }
}
