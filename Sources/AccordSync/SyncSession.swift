public import AccordLedger

/// The sync protocol for one connection, as a pure state machine: no sockets, no threads, no
/// clock. The node feeds it inputs (frames received, results of its own work, time) and performs
/// the ``Action``s it returns, in order.
///
/// The session sends its hello, waits for the peer's, then pushes, for every stream the peer may
/// receive, the batches the peer's vector lacks: oldest first, round-robin across streams, within
/// a window of ``Configuration/maxInFlightBytes`` unacknowledged bytes. Batches from the peer become
/// ``Action/apply(_:encodedSize:)`` actions in arrival order; the node answers each with
/// ``applied(_:sequence:now:)`` or ``refused(_:sequence:reason:now:)``, which the session turns
/// into `ack` or `reject` frames. Summaries every ``Configuration/summaryInterval`` seconds repair
/// what was lost; pings keep the connection alive; silence past ``Configuration/idleTimeout`` closes it.
///
/// The vectors this session announces (hello, summary) list only the streams the peer may receive,
/// so a peer learns nothing about classes outside its audience.
public struct SyncSession: Sendable {
    let configuration: Configuration
    let policyVersion: UInt64
    let mayReceive: @Sendable (StreamID) -> Bool

    var helloSent = false
    var peerHello: Frame.Hello?
    var closed = false
    /// What this node holds, by stream.
    var local: [StreamID: StreamHead] = [:]
    /// The highest sequence the peer is known to hold, by stream (announced, acknowledged or sent by it).
    var peerHas: [StreamID: UInt64] = [:]
    /// The audience rule, evaluated once per stream.
    var allowed: [StreamID: Bool] = [:]
    /// Per-stream sending state, for streams the peer may receive.
    var outbound: [StreamID: OutboundStream] = [:]
    /// ``outbound``'s keys, sorted, for round-robin.
    var order: [StreamID] = []
    var cursor = 0
    /// Hashes of batches handed to the node to apply, until it answers.
    var pendingApplies: [StreamID: [UInt64: [UInt8]]] = [:]
    var lastReceivedAt: Double?
    var startedAt: Double?
    var lastPingAt = 0.0
    var lastSummaryAt = 0.0
    var nextNonce: UInt64 = 1

    /// Bytes of batch frames sent and not yet acknowledged or rejected.
    public internal(set) var inFlightBytes = 0

    /// Creates a session for a new connection.
    /// - Parameters:
    ///   - configuration: limits and timers.
    ///   - localVector: what this node holds now, one head per stream (its own and relayed streams).
    ///   - policyVersion: the policy version this node holds, announced in the hello.
    ///   - mayReceive: whether the peer may receive a stream (the class audience rule), evaluated by
    ///     the node; streams it refuses are neither announced nor sent.
    public init(
        configuration: Configuration, localVector: [StreamHead], policyVersion: UInt64,
        mayReceive: @escaping @Sendable (StreamID) -> Bool
    ) {
        self.configuration = configuration
        self.policyVersion = policyVersion
        self.mayReceive = mayReceive
        for head in localVector { noteLocal(head) }
    }

    /// Whether both hellos were exchanged and the session is not closed.
    public var isEstablished: Bool { helloSent && peerHello != nil && !closed }
    /// Whether the session closed (after an error, the peer's error, or the idle timeout).
    public var isClosed: Bool { closed }
    /// The unit the peer announced in its hello.
    public var peerUnit: String? { peerHello?.unit }
    /// The policy version the peer announced in its hello.
    public var peerPolicyVersion: UInt64? { peerHello?.policyVersion }

    /// Starts the session: sends the hello.
    /// - Parameter now: the current time in seconds.
    public mutating func start(now: Double) -> [Action] {
        guard !helloSent, !closed else { return [] }
        helloSent = true
        lastReceivedAt = lastReceivedAt ?? now
        startedAt = now
        lastPingAt = now
        lastSummaryAt = now
        let hello = Frame.Hello(
            protocolVersion: configuration.protocolVersion, unit: configuration.localUnit, policyVersion: policyVersion,
            vector: announcedVector())
        return [.send(.hello(hello))] + pump(now: now)
    }

    /// Handles a frame from the peer.
    /// - Parameters:
    ///   - frame: the decoded frame.
    ///   - now: the current time in seconds.
    public mutating func received(_ frame: Frame, now: Double) -> [Action] {
        guard !closed else { return [] }
        lastReceivedAt = now
        if case .error(let code, let message) = frame {
            closed = true
            return [.close(reason: "peer sent error \(code): \(message)")]
        }
        guard let peerHello else {
            guard case .hello(let hello) = frame else {
                return fail(SyncError(.protocolViolation, "\(frame.type) frame before the peer's hello", frameType: frame.type.rawValue))
            }
            return acceptHello(hello, now: now)
        }
        switch frame {
        case .hello(let hello):
            // A repeated identical hello is harmless; a different one is not.
            if hello == peerHello { return [] }
            return fail(SyncError(.protocolViolation, "second, different hello from the peer", frameType: frame.type.rawValue))
        case .batch(let batch):
            let stream = batch.stream
            let sequence = batch.header.sequence
            notePeerHas(stream, sequence)
            pendingApplies[stream, default: [:]][sequence] = batch.hash
            return [.apply(batch, encodedSize: FrameCodec.encodedSize(of: batch))]
        case .ack(let stream, let sequence):
            return handleAck(stream, sequence, now: now)
        case .reject(let stream, let sequence, let reason):
            return handleReject(stream, sequence, reason: reason, now: now)
        case .summary(let vector):
            return handleSummary(vector, now: now)
        case .ping(let nonce):
            return [.send(.pong(nonce: nonce))]
        case .policy(let document):
            return [.policyReceived(document)]
        case .pong, .error:
            return []
        }
    }

    /// Handles a byte stream the node could not decode (from ``FrameDecoder``): sends an `error`
    /// frame with the error's code and message, then closes.
    /// - Parameters:
    ///   - error: the decoder's error.
    ///   - now: the current time in seconds.
    public mutating func failed(_ error: SyncError, now: Double) -> [Action] {
        guard !closed else { return [] }
        return fail(error)
    }

    /// The node applied (or already held) a batch the peer sent: acknowledges it.
    /// - Parameters:
    ///   - stream: the batch's stream.
    ///   - sequence: the batch's sequence number.
    ///   - now: the current time in seconds.
    public mutating func applied(_ stream: StreamID, sequence: UInt64, now: Double) -> [Action] {
        guard !closed else { return [] }
        if let hash = pendingApplies[stream]?.removeValue(forKey: sequence) {
            noteLocal(StreamHead(stream: stream, sequence: sequence, hash: hash))
        }
        notePeerHas(stream, sequence)
        return [.send(.ack(stream, sequence: sequence))] + pump(now: now)
    }

    /// The node refused a batch the peer sent: sends a `reject` with the reason.
    /// - Parameters:
    ///   - stream: the batch's stream.
    ///   - sequence: the batch's sequence number.
    ///   - reason: why, for the peer's governance view (no personal data).
    ///   - now: the current time in seconds.
    public mutating func refused(_ stream: StreamID, sequence: UInt64, reason: String, now: Double) -> [Action] {
        guard !closed else { return [] }
        pendingApplies[stream]?.removeValue(forKey: sequence)
        return [.send(.reject(stream, sequence: sequence, reason: Self.clipped(reason)))]
    }

    /// New local or relayed batches were stored: pushes what the peer lacks at once.
    /// - Parameters:
    ///   - heads: the new heads of the streams that grew.
    ///   - now: the current time in seconds.
    public mutating func localBatchesAvailable(_ heads: [StreamHead], now: Double) -> [Action] {
        guard !closed else { return [] }
        for head in heads { noteLocal(head) }
        return pump(now: now)
    }

    /// Advances time: closes after ``Configuration/idleTimeout`` of silence, sends pings and
    /// summaries when due, sends again a stream refused for the future bound once
    /// ``Configuration/resendTimeout`` passed since (``mayPassLater(_:)``), and resumes sending.
    /// - Parameter now: the current time in seconds.
    public mutating func tick(now: Double) -> [Action] {
        guard !closed else { return [] }
        if peerHello == nil, let startedAt, now - startedAt >= configuration.helloTimeout {
            return fail(SyncError(.idleTimeout, "no hello from the peer within \(configuration.helloTimeout) s (limit helloTimeout)"))
        }
        if let lastReceivedAt, now - lastReceivedAt >= configuration.idleTimeout {
            return fail(SyncError(.idleTimeout, "no frame from the peer for \(Int(now - lastReceivedAt)) s"))
        }
        guard isEstablished else { return [] }
        var actions: [Action] = []
        if now - lastPingAt >= configuration.pingInterval {
            lastPingAt = now
            actions.append(.send(.ping(nonce: nextNonce)))
            nextNonce &+= 1
        }
        if now - lastSummaryAt >= configuration.summaryInterval {
            lastSummaryAt = now
            actions.append(.send(.summary(announcedVector())))
        }
        retryRefused(now: now)
        return actions + pump(now: now)
    }

    // MARK: - Internals

    mutating func acceptHello(_ hello: Frame.Hello, now: Double) -> [Action] {
        guard hello.protocolVersion == configuration.protocolVersion else {
            return fail(SyncError(.versionMismatch, "peer speaks protocol version \(hello.protocolVersion), this node speaks \(configuration.protocolVersion)", frameType: FrameType.hello.rawValue))
        }
        guard hello.unit != configuration.localUnit else {
            return fail(SyncError(.protocolViolation, "peer announces this node's own unit", frameType: FrameType.hello.rawValue))
        }
        peerHello = hello
        for head in hello.vector { notePeerHas(head.stream, head.sequence) }
        return [.peerVectorKnown(hello.vector)] + pump(now: now)
    }

    mutating func fail(_ error: SyncError) -> [Action] {
        closed = true
        return [.send(.error(code: error.code.description, message: Self.clipped(error.message))), .close(reason: error.description)]
    }

    /// Texts sent to the peer are kept well under the decoder's field limit, cut at a character boundary.
    static func clipped(_ text: String, maxBytes: Int = 1024) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= maxBytes else { break }
            result.append(character)
        }
        return result
    }

    /// The heads of the streams the peer may receive, sorted by stream.
    mutating func announcedVector() -> [StreamHead] {
        local.values.filter { isAllowed($0.stream) }.sorted { $0.stream < $1.stream }
    }

    mutating func isAllowed(_ stream: StreamID) -> Bool {
        if let known = allowed[stream] { return known }
        let decision = mayReceive(stream)
        allowed[stream] = decision
        return decision
    }

    mutating func notePeerHas(_ stream: StreamID, _ sequence: UInt64) {
        if sequence > peerHas[stream] ?? 0 { peerHas[stream] = sequence }
    }

    /// Records a local head and, if the peer may receive the stream, raises its sending target.
    mutating func noteLocal(_ head: StreamHead) {
        if head.sequence > local[head.stream]?.sequence ?? 0 || local[head.stream] == nil {
            local[head.stream] = head
        }
        guard isAllowed(head.stream) else { return }
        if outbound[head.stream] == nil {
            outbound[head.stream] = OutboundStream()
            let index = order.firstIndex { head.stream < $0 } ?? order.endIndex
            order.insert(head.stream, at: index)
        }
        outbound[head.stream]?.raiseTarget(to: head.sequence)
    }
}
