public import AccordLedger

/// One message of the sync protocol. On the wire: `length u32 BE (of type + payload) | type u8 | payload`
/// (see ``FrameCodec``).
public enum Frame: Hashable, Sendable, CustomStringConvertible {
    /// Opens a session: protocol version, unit, policy version and version vector.
    case hello(Hello)
    /// One batch, carried as ``AccordLedger/BatchCodec`` bytes; not verified by the sync layer.
    case batch(Batch)
    /// The receiver durably applied (or already held) batch `sequence` of `stream`.
    case ack(StreamID, sequence: UInt64)
    /// The receiver refused batch `sequence` of `stream`; the sender must not resend it in this session.
    case reject(StreamID, sequence: UInt64, reason: String)
    /// Periodic anti-entropy: the sender's current version vector, sorted by stream.
    case summary([StreamHead])
    /// The sender is closing the connection because of this error.
    case error(code: String, message: String)
    /// Liveness probe; the peer answers with a pong carrying the same nonce.
    case ping(nonce: UInt64)
    /// Answer to a ping.
    case pong(nonce: UInt64)
    /// `policy`: a signed policy document (the payload is the document's bytes), offered by a node
    /// whose policy version is newer than its peer's.
    case policy(document: [UInt8])

    /// The hello message.
    public struct Hello: Hashable, Sendable {
        /// The protocol version the sender speaks.
        public var protocolVersion: UInt16
        /// The sender's unit.
        public var unit: String
        /// The version of the policy the sender holds.
        public var policyVersion: UInt64
        /// What the sender holds, sorted by stream, one head per stream.
        public var vector: [StreamHead]

        /// Creates a hello.
        public init(protocolVersion: UInt16, unit: String, policyVersion: UInt64, vector: [StreamHead]) {
            self.protocolVersion = protocolVersion
            self.unit = unit
            self.policyVersion = policyVersion
            self.vector = vector
        }
    }

    /// The frame's type byte.
    public var type: FrameType {
        switch self {
        case .hello: .hello
        case .batch: .batch
        case .ack: .ack
        case .reject: .reject
        case .summary: .summary
        case .error: .error
        case .ping: .ping
        case .pong: .pong
        case .policy: .policy
        }
    }

    /// The type and the stream positions involved, never batch content: for logs.
    public var description: String {
        switch self {
        case .hello(let hello): "hello(v\(hello.protocolVersion), \(hello.unit), policy \(hello.policyVersion), \(hello.vector.count) streams)"
        case .batch(let batch): "batch(\(batch.describe))"
        case .ack(let stream, let sequence): "ack(\(stream)#\(sequence))"
        case .reject(let stream, let sequence, _): "reject(\(stream)#\(sequence))"
        case .summary(let vector): "summary(\(vector.count) streams)"
        case .error(let code, _): "error(\(code))"
        case .ping(let nonce): "ping(\(nonce))"
        case .pong(let nonce): "pong(\(nonce))"
        case .policy(let document): "policy(\(document.count) bytes)"
        }
    }
}
