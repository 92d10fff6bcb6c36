import AccordAPI
import AccordCrypto
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Dispatch
import Foundation
import Synchronization

/// `accord serve`: runs the node's sync service (and, with an API address, its HTTPS API) in the
/// foreground until SIGINT or SIGTERM.
enum ServeCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "listen", "api-listen", "log-level"], flags: [])
        let interrupts = Signals.catchInterrupts()
        _ = try arguments.positionals(exactly: [])
        let level = try arguments.option("log-level").map { name in
            guard let level = Logger.Level.allCases.first(where: { $0.name == name }) else {
                throw UsageError(message: "--log-level must be debug, info, warning or error")
            }
            return level
        } ?? .info
        let node = try CLI.openNode(arguments)
        let logger = Logger(minimum: level, metadata: ["node.unit": node.unit.rawValue])
        guard let listenText = arguments.option("listen") ?? node.config.syncListen else {
            throw UsageError(message: "no sync address: give --listen HOST:PORT or set listen.sync in node.json")
        }
        guard let listen = PeerCommand.parseEndpoint(listenText, allowAnyPort: true) ?? parseAnyPort(listenText) else {
            throw UsageError(message: "--listen must look like 127.0.0.1:7401 (port 0 lets the system choose)")
        }
        let apiListen = try (arguments.option("api-listen") ?? node.config.apiListen).map { text in
            guard let endpoint = PeerCommand.parseEndpoint(text, allowAnyPort: true) ?? parseAnyPort(text) else {
                throw UsageError(message: "--api-listen must look like 127.0.0.1:8401 (port 0 lets the system choose)")
            }
            return endpoint
        }
        var peers: [(unit: String, host: String, port: UInt16)] = []
        for peer in node.config.peers {
            guard let endpoint = PeerCommand.parseEndpoint(peer.endpoint) else {
                throw NodeError(.invalidConfig, "node.json: peer \(peer.unit): endpoint must look like 127.0.0.1:7402")
            }
            peers.append((unit: peer.unit, host: endpoint.host, port: endpoint.port))
        }
        let tls = try node.tlsConfiguration()
        let unit = node.unit.rawValue
        let snapshotPath = node.snapshotPath
        let storePath = node.store.path
        let engine = SyncEngine(node: node, logger: logger)
        var syncSettings = SyncService.Settings(unit: unit)
        node.config.limits.apply(to: &syncSettings)
        let apiSettings = APIServer.Settings(limits: node.config.limits)
        let service = try SyncService(engine: engine, tls: tls, settings: syncSettings, logger: logger)
        let portBox = PortBox()
        let recovery = RecoveryWatch(engine: engine, logger: logger)
        let port = try service.start(listen: listen, peers: peers) { statuses in
            Node.writeSnapshot(
                ServeSnapshot(writtenAtMillis: Node.wallClock(), pid: getpid(), port: portBox.port, peers: statuses.map(ServedPeer.init)),
                to: snapshotPath)
            recovery.check(statuses)
        }
        portBox.port = port
        StandardStream.output.write("accord serve: unit \(unit) listening on \(listen.host):\(port ?? 0)\n")
        var api: APIServer?
        if let apiListen {
            do {
                let server = try APIServer(engine: engine, settings: apiSettings, logger: logger, peers: { [service] in service.peerStatus() })
                let apiPort = try server.start(host: apiListen.host, port: apiListen.port)
                api = server
                StandardStream.output.write("accord serve: unit \(unit) API on https://\(apiListen.host):\(apiPort)\n")
            } catch {
                service.stop()
                throw error
            }
        }
        // Profiles are consolidated in the background, on a connection of their own (never on the
        // apply path); the API server keeps them when it runs.
        let profiles = api == nil ? ProfileService(engine: engine, storePath: storePath, logger: logger) : nil
        profiles?.start()

        // SIGHUP: load the certificate, key, CA bundle and CRL again for new connections; open
        // sessions keep theirs, so no peer is dropped.
        let apiServer = api
        let hangup = Signals.onHangup {
            do {
                let tls = try engine.withNode { try $0.tlsConfiguration() }
                try service.reloadTLS(tls)
                try apiServer?.reloadTLS()
                logger.info("reloaded TLS certificates for new connections", ["tls.certificate": tls.certificateChainPath])
            } catch {
                logger.error("cannot reload TLS certificates; the loaded ones stay in use", ["reason": "\(error)"])
            }
        }
        // Stop cleanly on SIGINT or SIGTERM: requests and the current transaction finish, connections close.
        interrupts.wait()
        hangup.cancel()
        logger.info("stopping")
        api?.stop()
        profiles?.stop()
        service.stop()
        try? FileManager.default.removeItem(atPath: snapshotPath)
        logger.info("stopped")
    }

    /// `:PORT` or `PORT` alone: listen on 127.0.0.1.
    private static func parseAnyPort(_ text: String) -> (host: String, port: UInt16)? {
        let digits = text.hasPrefix(":") ? String(text.dropFirst()) : text
        return UInt16(digits).map { (host: "127.0.0.1", port: $0) }
    }
}

/// The listening port, known after start, shared with the status writer.
/// `@unchecked Sendable`: written once before the first status is written, read afterwards.
final class PortBox: @unchecked Sendable {
    var port: UInt16?
}

/// After a restore: watches the peers' status until the node holds every batch of its own streams
/// they announced, then ends recovery and runs the erasures owed (see ``AccordNode/Node/recoveryProgress(peers:)``).
final class RecoveryWatch: Sendable {
    private let engine: SyncEngine
    private let logger: Logger
    private let recovering: Mutex<Bool>

    init(engine: SyncEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
        let pending = (try? engine.withNode { try $0.store.recovery() }) != nil
        recovering = Mutex(pending)
        if pending {
            logger.warning("restored from a backup: local writes are refused until this unit's own streams are recovered from its peers")
        }
    }

    /// Ends recovery once it is complete; cheap when the node is not recovering.
    func check(_ statuses: [PeerStatus]) {
        guard recovering.withLock({ $0 }) else { return }
        do {
            let done: RecoveryProgress? = try engine.withNode { node in
                guard let progress = try node.recoveryProgress(peers: statuses) else { return nil }
                guard progress.isComplete else { return progress }
                try node.finishRecovery()
                return progress
            }
            guard done?.isComplete ?? true else { return }
            recovering.withLock { $0 = false }
            logger.info("recovered own streams after the restore: local writes accepted again",
                        ["recovery.peers": (done?.heard ?? []).joined(separator: ",")])
            engine.runMaintenance()
            engine.noteChange()
        } catch {
            logger.error("cannot check recovery", ["reason": "\(error)"])
        }
    }
}
