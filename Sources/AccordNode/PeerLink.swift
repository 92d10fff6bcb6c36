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
    /// The policy version the peer announced in its hello (`nil` before the first hello).
    public var policyVersion: UInt64?
}

/// One sync connection, driving a ``AccordSync/SyncSession`` over TLS with three threads:
/// - the **reader** only reads: it decodes frames, feeds them to the session and checks received
///   batches (``SyncEngine/check(_:)``: signature and policy, CPU work without the store lock);
///   it never blocks on a write, so two peers writing to each other cannot deadlock;
/// - the **applier** (``ApplyPipeline``) applies the checked batches in groups, one durable
///   transaction per group, and only then tells the session, which acknowledges them;
/// - the **writer** only writes what the session queued, and wakes when the node's store changes
///   (to push new batches at once), when the reader or applier queued frames, or on the session's timers.
///
/// The session is shared by the threads under one lock; the engine has its own lock, always
/// taken after the session's or without it (the applier never holds both).
///
/// `@unchecked Sendable`: the session and queue are only touched under `lock`; the connection is
/// safe for one reader and one writer thread at once (``AccordCrypto/TLSConnection``).
final class PeerLink: @unchecked Sendable {
    private let connection: TLSConnection
    private let engine: SyncEngine
    private let peer: String
    private let logger: Logger
    private let stopping: @Sendable () -> Bool
    private let report: @Sendable (PeerStatus) -> Void
    private let tickInterval: Double

    private let lock = NSLock()
    private var session: SyncSession
    private var outbound: [Frame] = []
    private var closeReason: String?
    private var status: PeerStatus
    private var seenChanges: Int
    /// Batches the session handed over to apply, waiting for the reader to check them.
    private var toCheck: [(batch: Batch, bytes: Int)] = []
    private let pipelineLimits: ApplyPipeline<CheckedBatch, ReceiveOutcome>.Limits
    private let policyEpoch: Int
    private let maxFrameSize: Int
    /// Signalled when the writer has something to do.
    let wake = DispatchSemaphore(value: 0)

    init(
        connection: TLSConnection, engine: SyncEngine, logger: Logger, configuration: SyncSession.Configuration,
        tickInterval: Double, pipeline: ApplyPipeline<CheckedBatch, ReceiveOutcome>.Limits = .init(),
        stopping: @escaping @Sendable () -> Bool, report: @escaping @Sendable (PeerStatus) -> Void
    ) throws {
        // Sync contexts require a client certificate, so every session has a verified peer.
        guard let peer = connection.peer?.unit else { throw NodeError(.notAllowed, "a sync peer must present a certificate") }
        self.connection = connection
        self.engine = engine
        self.peer = peer
        self.logger = logger.with(["peer.unit": peer])
        self.stopping = stopping
        self.report = report
        self.tickInterval = tickInterval
        self.pipelineLimits = pipeline
        self.seenChanges = engine.changeCount
        self.policyEpoch = engine.policyEpoch
        self.maxFrameSize = configuration.maxFrameSize
        self.session = SyncSession(
            configuration: configuration, localVector: try engine.heads(), policyVersion: engine.policyVersion,
            mayReceive: { [engine] stream in engine.mayReceive(peer, stream) })
        self.status = PeerStatus(unit: peer, connected: false, lastContactMillis: 0, vector: [], lastError: nil)
    }

    /// Runs until the connection ends (the calling thread becomes the writer); returns why.
    func run() -> String {
        engine.register(wake)
        defer { engine.unregister(wake) }
        locked { perform(session.start(now: Self.now())) }
        wake.signal()  // send the hello now, not at the first tick
        // Received batches: checked by the reader, applied in groups by the pipeline's thread,
        // acknowledged after their commit.
        let pipeline = ApplyPipeline<CheckedBatch, ReceiveOutcome>(
            name: "accord-apply-\(peer)", limits: pipelineLimits,
            apply: { [engine, peer] group in engine.apply(group, from: peer) },
            deliver: { [self] results in delivered(results) })
        let readerDone = DispatchSemaphore(value: 0)
        let reader = Thread { [self] in
            readLoop(pipeline)
            readerDone.signal()
        }
        reader.name = "accord-read-\(peer)"
        reader.stackSize = 1 << 20
        reader.start()
        writeLoop()
        connection.close()  // wakes the reader if it is still blocked
        pipeline.stop()  // finishes the group being applied; drops (never acknowledges) the rest
        readerDone.wait()
        let reason = locked { closeReason ?? "stopped" }
        locked {
            status.connected = false
            status.lastError = reason
            report(status)
        }
        return reason
    }

    /// Ends the connection from another thread (service stop).
    func close(_ reason: String) {
        locked { if closeReason == nil { closeReason = reason } }
        wake.signal()
        connection.close()
    }

    // MARK: Threads

    private func writeLoop() {
        var lastTick = Date()
        while locked({ closeReason == nil }) && !stopping() {
            _ = wake.wait(timeout: .now() + tickInterval)
            if engine.policyEpoch != policyEpoch {
                // New rules: start a new session under them (the dialer reconnects).
                finish("the node adopted policy v\(engine.policyVersion); reconnecting")
                break
            }
            let frames: [Frame] = locked {
                let changes = engine.changeCount
                if changes != seenChanges {
                    seenChanges = changes
                    if let heads = try? engine.heads() { perform(session.localBatchesAvailable(heads, now: Self.now())) }
                }
                if Date().timeIntervalSince(lastTick) >= tickInterval {
                    lastTick = Date()
                    perform(session.tick(now: Self.now()))
                }
                defer { outbound.removeAll(keepingCapacity: true) }
                return outbound
            }
            do {
                for frame in frames { try connection.write(FrameCodec.encode(frame)) }
            } catch {
                finish("cannot write to the peer: \(error)")
            }
        }
        // Flush a final error frame, if the session queued one before closing.
        let last = locked { outbound }
        for frame in last { try? connection.write(FrameCodec.encode(frame)) }
    }

    private func readLoop(_ pipeline: ApplyPipeline<CheckedBatch, ReceiveOutcome>) {
        var decoder = FrameDecoder(maxFrameSize: maxFrameSize)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while locked({ closeReason == nil }) && !stopping() {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            } catch let error as CryptoError where error.code == .timedOut {
                continue
            } catch {
                finish("\(error)")
                return
            }
            guard count > 0 else {
                finish("peer closed the connection")
                return
            }
            decoder.append(buffer[0..<count])
            do {
                while let frame = try decoder.nextFrame() {
                    let received = locked {
                        status.lastContactMillis = UInt64(Date().timeIntervalSince1970 * 1000)
                        perform(session.received(frame, now: Self.now()))
                        defer { toCheck.removeAll() }
                        return toCheck
                    }
                    // Checked here, without the lock, while the pipeline applies earlier batches.
                    for (batch, bytes) in received {
                        guard pipeline.submit(engine.check(batch), bytes: bytes) else { return }  // stopping
                    }
                    if !received.isEmpty { wake.signal() }
                }
            } catch let error as SyncError {
                // Oversized or malformed input: tell the peer why, close, change nothing.
                logger.warning("refused a malformed frame", ["reason": "\(error)"])
                locked { perform(session.failed(error, now: Self.now())) }
            } catch {
                finish("\(error)")
            }
            wake.signal()
        }
    }

    private func finish(_ reason: String) {
        locked { if closeReason == nil { closeReason = reason } }
        wake.signal()
    }

    /// The pipeline applied a group: acknowledges (or rejects) each batch, after the commit.
    private func delivered(_ results: [(CheckedBatch, ReceiveOutcome)]) {
        locked {
            for (checked, outcome) in results {
                let batch = checked.batch
                switch outcome {
                case .applied, .duplicate:
                    perform(session.applied(batch.stream, sequence: batch.header.sequence, now: Self.now()))
                case .refused(let reason):
                    perform(session.refused(batch.stream, sequence: batch.header.sequence, reason: reason, now: Self.now()))
                }
            }
        }
        wake.signal()
    }

    // MARK: Session actions (called with the lock held)

    private func perform(_ initial: [SyncSession.Action]) {
        var actions = initial
        while !actions.isEmpty {
            let action = actions.removeFirst()
            switch action {
            case .send(let frame):
                outbound.append(frame)
            case .loadBatches(let stream, let after, let limit):
                do {
                    actions += session.loaded(stream, batches: try engine.batches(in: stream, after: after, limit: limit), now: Self.now())
                } catch {
                    closeReason = closeReason ?? "cannot read batches: \(error)"
                }
            case .apply(let batch, let bytes):
                toCheck.append((batch, bytes))
            case .close(let reason):
                logger.info("sync session closed", ["reason": reason])
                closeReason = closeReason ?? reason
            case .peerRejected(let stream, let sequence, let reason):
                logger.warning("peer refused a batch", ["batch.stream": stream.description, "batch.sequence": "\(sequence)", "reason": reason])
            case .policyReceived(let document):
                engine.offerPolicy(document, from: peer)
            case .peerVectorKnown(let vector):
                status.vector = vector
                status.policyVersion = session.peerPolicyVersion
                if !status.connected {
                    status.connected = true
                    logger.info("sync session established")
                    // A peer on an older policy gets ours; it adopts it if our governance signed it.
                    if let theirs = session.peerPolicyVersion, theirs < engine.policyVersion, let document = engine.policyDocument() {
                        outbound.append(.policy(document: document))
                    }
                }
                report(status)
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The session's clock, in seconds: monotonic (the system's uptime), so a jump of the wall
    /// clock neither closes sessions for an idle time that never was nor stops pings, summaries
    /// and retries for the length of a jump back (decision 106).
    static func now() -> Double { ProcessInfo.processInfo.systemUptime }
}
