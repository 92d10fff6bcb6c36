public import AccordCrypto
import AccordLedger
import Foundation

/// A federation of nodes in this process on 127.0.0.1, made from nothing: a CA in memory, a node
/// per unit with a certificate naming it, one policy holding every unit's signing key. For
/// `accord demo` and the benchmarks; production nodes each run `accord serve`.
public final class LocalFederation {
    /// A node serving sync.
    public struct Served: Sendable {
        /// Its engine (all access to its store goes through it).
        public let engine: SyncEngine
        /// Its sync service.
        public let service: SyncService
        /// The port it listens on.
        public let port: UInt16
    }

    /// The directory holding one node directory per unit.
    public let directory: String
    /// The units, in order.
    public let units: [String]
    /// The nodes serving now.
    public private(set) var running: [String: Served] = [:]
    /// The federation's CA, held in memory only: it issued every unit's certificate, and may issue
    /// more for test peers (the chaos harness's evil relay presents certificates from it).
    public let authority: CertificateAuthority
    private let logger: Logger
    private let settings: @Sendable (String) -> SyncService.Settings

    /// Creates the CA, the nodes, their certificates and the shared policy.
    /// - Parameters:
    ///   - directory: where to create the node directories (one per unit).
    ///   - units: the units; each must be a member of `policyText`.
    ///   - policyText: the policy document (the built-in sample by default).
    ///   - logger: where the nodes log.
    ///   - settings: sync settings per unit.
    /// - Throws: ``NodeError`` or ``AccordCrypto/CryptoError``.
    public init(
        directory: String, units: [String], policyText: [UInt8] = Array(SamplePolicy.text.utf8), logger: Logger,
        settings: @escaping @Sendable (String) -> SyncService.Settings = { SyncService.Settings(unit: $0) }
    ) throws {
        self.directory = directory
        self.units = units
        self.logger = logger
        self.settings = settings
        let authority = try CertificateAuthority(name: "Accord local federation CA")
        self.authority = authority
        var keys: [String: String] = [:]
        for unit in units {
            let node = try Node.initialize(directory: path(unit), unit: unit, policyText: policyText)
            keys[unit] = node.publicKeyBase64
            try authority.writeUnitFiles(unit: unit, to: path(unit) + "/tls")
        }
        let policy = Data(try PolicyKeys.setting(keys, in: policyText))
        for unit in units {
            do {
                try policy.write(to: URL(fileURLWithPath: path(unit) + "/policy.json"))
            } catch {
                throw NodeError(.storage, "cannot write the policy of \(unit)", cause: error)
            }
        }
    }

    /// The node directory of a unit.
    public func path(_ unit: String) -> String { (directory as NSString).appendingPathComponent(unit) }

    /// Opens a unit's node (for work before it serves; do not use it once the unit serves).
    public func node(_ unit: String) throws -> Node { try Node(directory: path(unit)) }

    /// Starts serving a unit on a port the system picks, dialing the named units (already serving).
    @discardableResult
    public func serve(_ unit: String, peers: [String]) throws -> Served {
        let node = try self.node(unit)
        let tls = try node.tlsConfiguration()
        let snapshotPath = node.snapshotPath
        let engine = SyncEngine(node: node, logger: logger.with(["node.unit": unit]))
        let service = try SyncService(engine: engine, tls: tls, settings: settings(unit), logger: logger.with(["node.unit": unit]))
        let dial = try peers.map { peer -> (unit: String, host: String, port: UInt16) in
            guard let port = running[peer]?.port else { throw NodeError(.notFound, "unit \(peer) is not serving") }
            return (unit: peer, host: "127.0.0.1", port: port)
        }
        let port = try service.start(listen: (host: "127.0.0.1", port: 0), peers: dial) { statuses in
            Node.writeSnapshot(
                ServeSnapshot(writtenAtMillis: Node.wallClock(), pid: getpid(), port: nil, peers: statuses.map(ServedPeer.init)),
                to: snapshotPath)
        } ?? 0
        let served = Served(engine: engine, service: service, port: port)
        running[unit] = served
        return served
    }

    /// Stops every serving node.
    public func stopAll() {
        for served in running.values { served.service.stop() }
        running = [:]
    }

    /// Waits until every serving node holds at least the stream heads of every other one it may
    /// receive, or the timeout passes; returns whether it converged.
    public func waitForConvergence(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if converged() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return converged()
    }

    private func converged() -> Bool {
        let heads = running.mapValues { (try? $0.engine.heads()) ?? [] }
        for (unit, served) in running {
            let mine = Dictionary((heads[unit] ?? []).map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
            for (other, theirs) in heads where other != unit {
                for head in theirs where served.engine.mayReceive(unit, head.stream) && (mine[head.stream] ?? 0) < head.sequence {
                    return false
                }
            }
        }
        return true
    }
}
