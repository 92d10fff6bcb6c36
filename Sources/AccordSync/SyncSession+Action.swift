public import AccordLedger

extension SyncSession {
    /// What the node must do after feeding the session an input, in order.
    public enum Action: Equatable, Sendable {
        /// Write this frame to the peer.
        case send(Frame)
        /// Read up to `limit` stored batches of `stream` with sequence numbers after `after`, in
        /// order, and feed them back with ``SyncSession/loaded(_:batches:now:)`` (an empty list
        /// when there are none).
        case loadBatches(StreamID, after: UInt64, limit: Int)
        /// Verify and durably apply this batch received from the peer, then report with
        /// ``SyncSession/applied(_:sequence:now:)`` or ``SyncSession/refused(_:sequence:reason:now:)``.
        case apply(Batch, encodedSize: Int)
        /// Close the connection, after writing the frames already emitted.
        case close(reason: String)
        /// What the peer announced it holds (from its hello or a summary), for status.
        case peerVectorKnown([StreamHead])
        /// The peer refused one of our batches; the session sends no more of that stream. Reported once.
        case peerRejected(StreamID, sequence: UInt64, reason: String)
        /// The peer sent a policy document: the node checks it and, if it is a valid newer
        /// version, adopts it.
        case policyReceived([UInt8])
    }
}
