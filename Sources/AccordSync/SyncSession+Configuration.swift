extension SyncSession {
    /// Settings of one session. Times are in seconds, on the clock the node passes as `now`.
    public struct Configuration: Sendable {
        /// This node's unit, announced in the hello.
        public var localUnit: String
        /// The protocol version spoken; the peer's hello must carry the same.
        public var protocolVersion: UInt16
        /// Most bytes of batch frames sent but not yet acknowledged or rejected. A single batch
        /// larger than this is still sent when nothing else is in flight, so a stream never stalls.
        public var maxInFlightBytes: Int
        /// Most batches asked of the node in one ``SyncSession/Action/loadBatches(_:after:limit:)``.
        public var maxBatchesPerRequest: Int
        /// Seconds between pings once established.
        public var pingInterval: Double
        /// Seconds without any frame from the peer after which the session closes.
        public var idleTimeout: Double
        /// Seconds from ``SyncSession/start(now:)`` within which the peer's hello must arrive, or
        /// the session closes (so a silent peer cannot hold a connection for the idle timeout).
        public var helloTimeout: Double = 10
        /// The largest frame accepted from the peer, in bytes: a longer length prefix ends the
        /// session (`frameTooLarge`) before its body is read. Batches over it cannot be received.
        public var maxFrameSize: Int = FrameCodec.defaultMaxFrameSize
        /// Seconds between anti-entropy summaries once established.
        public var summaryInterval: Double
        /// Seconds after which a batch still unacknowledged, and missing from a later summary of
        /// the peer, is taken as lost and sent again.
        public var resendTimeout: Double

        /// Creates a configuration.
        /// - Parameters:
        ///   - localUnit: this node's unit.
        ///   - protocolVersion: the protocol version spoken (default ``FrameCodec/protocolVersion``).
        ///   - maxInFlightBytes: the flow-control window in bytes of batch frames (default 8 MiB).
        ///   - maxBatchesPerRequest: the batch count of one load request (default 64).
        ///   - pingInterval: seconds between pings (default 15).
        ///   - idleTimeout: seconds of silence before closing (default 60).
        ///   - summaryInterval: seconds between summaries (default 30).
        ///   - resendTimeout: seconds before an unacknowledged batch may be resent (default 30).
        public init(
            localUnit: String, protocolVersion: UInt16 = FrameCodec.protocolVersion, maxInFlightBytes: Int = 8 << 20,
            maxBatchesPerRequest: Int = 64, pingInterval: Double = 15, idleTimeout: Double = 60,
            summaryInterval: Double = 30, resendTimeout: Double = 30
        ) {
            precondition(maxInFlightBytes > 0 && maxBatchesPerRequest > 0, "flow-control limits must be positive")
            self.localUnit = localUnit
            self.protocolVersion = protocolVersion
            self.maxInFlightBytes = maxInFlightBytes
            self.maxBatchesPerRequest = maxBatchesPerRequest
            self.pingInterval = pingInterval
            self.idleTimeout = idleTimeout
            self.summaryInterval = summaryInterval
            self.resendTimeout = resendTimeout
        }
    }
}
