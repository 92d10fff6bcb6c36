import AccordLedger

/// What a session sends of one stream the peer may receive.
struct OutboundStream: Sendable {
    /// A batch frame sent and not yet acknowledged.
    struct InFlight: Sendable {
        var sequence: UInt64
        var bytes: Int
        var sentAt: Double
    }

    /// A batch loaded from the node, waiting for its turn.
    struct Queued: Sendable {
        var batch: Batch
        var frameBytes: Int
        var sequence: UInt64 { batch.header.sequence }
    }

    /// The highest sequence number the node holds, as far as the session knows.
    var target: UInt64 = 0
    /// Bumped whenever ``target`` rises, so an empty load answer to an older request is not final.
    var targetVersion = 0
    /// The highest sequence number sent in this session since the last rewind.
    var sentUpTo: UInt64 = 0
    /// The highest sequence number ever sent in this session (rejects above it are ignored).
    var highestSent: UInt64 = 0
    /// Loaded batches after ``sentUpTo``, in order.
    var queue: [Queued] = []
    /// The `after` of the outstanding load request, if any: one request per stream at a time.
    var loadingAfter: UInt64?
    /// The ``targetVersion`` when the outstanding load was asked.
    var loadingVersion = 0
    /// Set when the node answered an up-to-date load with nothing: wait for a higher target.
    var stalled = false
    /// Batch frames sent and not yet acknowledged, in sequence order.
    var inFlight: [InFlight] = []
    /// The peer refused a batch of this stream: send nothing more of it in this session (until
    /// ``retryAt``, when set).
    var rejected = false
    /// For a refusal that may pass later (``SyncSession/mayPassLater(_:)``): when to send the
    /// stream again, from what the peer holds.
    var retryAt: Double?

    /// Raises the target; returns whether it rose.
    @discardableResult
    mutating func raiseTarget(to sequence: UInt64) -> Bool {
        guard sequence > target else { return false }
        target = sequence
        targetVersion += 1
        stalled = false
        return true
    }

    /// Drops in-flight entries at or below `sequence`; returns the bytes released.
    mutating func releaseInFlight(through sequence: UInt64) -> Int {
        var released = 0
        while let first = inFlight.first, first.sequence <= sequence {
            released += first.bytes
            inFlight.removeFirst()
        }
        return released
    }

    /// Drops every in-flight entry; returns the bytes released.
    mutating func releaseAllInFlight() -> Int {
        let released = inFlight.reduce(0) { $0 + $1.bytes }
        inFlight.removeAll()
        return released
    }
}
