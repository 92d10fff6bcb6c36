import AccordCrypto
public import AccordLedger
import AccordSync
import Foundation
import Synchronization

/// Per-peer figures for `accord status`: whether a connection is up, when the peer was last heard
/// from, and the version vector it announced.
public struct PeerStatus: Sendable, Equatable {
    /// The peer's unit.
    public var unit: String
    /// Whether a session with it is established now.
    public var connected: Bool
    /// When the peer was last heard from, milliseconds since 1970 (0: never).
    public var lastContactMillis: UInt64
    /// The peer's version vector as it last announced it.
    public var vector: [StreamHead]
    /// Why the last connection ended or failed, if it did.
    public var lastError: String?
}

/// One sync connection: drives a ``AccordSync/SyncSession`` over a TLS connection until either
/// side closes, the service stops, or the peer goes silent. Runs on its own thread.
final class PeerLink {
    private let connection: TLSConnection
    private var session: SyncSession
    private let engine: SyncEngine
    private let peer: String
    private let logger: Logger
    private let stopping: @Sendable () -> Bool
    private let report: @Sendable (PeerStatus) -> Void
    private var decoder: FrameDecoder
    private var status: PeerStatus
    private var seenChanges: Int

    init(
        connection: TLSConnection, engine: SyncEngine, logger: Logger, configuration: SyncSession.Configuration,
        stopping: @escaping @Sendable () -> Bool, report: @escaping @Sendable (PeerStatus) -> Void
    ) throws {
        self.connection = connection
        self.engine = engine
        self.peer = connection.peer.unit
        self.logger = logger.with(["peer.unit": connection.peer.unit])
        self.stopping = stopping
        self.report = report
        self.decoder = FrameDecoder()
        let peer = connection.peer.unit
        self.seenChanges = engine.changeCount
        self.session = SyncSession(
            configuration: configuration, localVector: try engine.heads(), policyVersion: engine.policyVersion,
            mayReceive: { [engine] stream in engine.mayReceive(peer, stream) })
        self.status = PeerStatus(unit: peer, connected: false, lastContactMillis: 0, vector: [], lastError: nil)
    }

    /// Runs until the connection ends; returns why.
    func run() -> String {
        var reason = "stopped"
        defer {
            connection.close()
            status.connected = false
            status.lastError = reason
            report(status)
        }
        do {
            var actions = session.start(now: Self.now())
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while !stopping() {
                if let closed = try perform(&actions) {
                    reason = closed
                    return reason
                }
                let changes = engine.changeCount
                if changes != seenChanges {
                    seenChanges = changes
                    actions += session.localBatchesAvailable(try engine.heads(), now: Self.now())
                    continue
                }
                let count: Int
                do {
                    count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
                } catch let error as CryptoError where error.code == .timedOut {
                    actions += session.tick(now: Self.now())
                    continue
                }
                guard count > 0 else {
                    reason = "peer closed the connection"
                    return reason
                }
                decoder.append(buffer[0..<count])
                do {
                    while let frame = try decoder.nextFrame() {
                        status.lastContactMillis = UInt64(Self.now() * 1000)
                        actions += session.received(frame, now: Self.now())
                    }
                } catch let error as SyncError {
                    // Oversized or malformed input: tell the peer why, close, change nothing.
                    logger.warning("refused a malformed frame", ["reason": "\(error)"])
                    actions += session.failed(error, now: Self.now())
                }
            }
            return reason
        } catch {
            reason = "\(error)"
            logger.warning("sync connection ended", ["reason": reason])
            return reason
        }
    }

    /// Carries out actions; returns a reason when the session asked to close.
    private func perform(_ actions: inout [SyncSession.Action]) throws -> String? {
        while !actions.isEmpty {
            let action = actions.removeFirst()
            switch action {
            case .send(let frame):
                try connection.write(FrameCodec.encode(frame))
            case .loadBatches(let stream, let after, let limit):
                actions += session.loaded(stream, batches: try engine.batches(in: stream, after: after, limit: limit), now: Self.now())
            case .apply(let batch, _):
                switch engine.receive(batch, from: peer) {
                case .applied, .duplicate:
                    actions += session.applied(batch.stream, sequence: batch.header.sequence, now: Self.now())
                case .refused(let reason):
                    actions += session.refused(batch.stream, sequence: batch.header.sequence, reason: reason, now: Self.now())
                }
            case .close(let reason):
                logger.info("sync session closed", ["reason": reason])
                return reason
            case .peerRejected(let stream, let sequence, let reason):
                logger.warning("peer refused a batch", ["batch.stream": stream.description, "batch.sequence": "\(sequence)", "reason": reason])
            case .peerVectorKnown(let vector):
                status.vector = vector
                if !status.connected {
                    status.connected = true
                    logger.info("sync session established")
                }
                report(status)
            }
        }
        return nil
    }

    static func now() -> Double { Date().timeIntervalSince1970 }
}
