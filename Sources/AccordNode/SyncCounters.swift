import Synchronization

/// What a serving node's engine did with the batches peers sent, since it started: for `/metrics`.
/// Updated under the engine's lock after each commit, read from any thread.
public final class SyncCounters: Sendable {
    /// The figures at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// Batches verified and durably applied.
        public var batchesApplied = 0
        /// Copies of batches the node already held (nothing changed).
        public var batchesDuplicate = 0
        /// Batches refused, by the class of their reason.
        public var batchesRefused: [RefusalClass: Int] = [:]
        /// Entries of applied batches that were written.
        public var entriesApplied = 0
        /// Entries of applied batches that were refused and stored redacted (erased people, past retention, rules).
        public var entriesRefused = 0
        /// Per applied batch, seconds from the start of its check (signature, rules) to the commit
        /// that made it durable, waiting for the store's lock included; millisecond resolution.
        public var applyLatency = LatencyHistogram()
    }

    private let state = Mutex(Snapshot())

    /// Counters at zero.
    public init() {}

    /// Counts one applied batch: its written and refused entries, and how long it took to be durable.
    func applied(entries: Int, refusedEntries: Int, latency: Double) {
        state.withLock {
            $0.batchesApplied += 1
            $0.entriesApplied += entries
            $0.entriesRefused += refusedEntries
            $0.applyLatency.observe(latency)
        }
    }

    /// Counts a copy of a held batch.
    func duplicate() {
        state.withLock { $0.batchesDuplicate += 1 }
    }

    /// Counts a refused batch by the class of its reason.
    func refused(_ reason: String) {
        state.withLock { $0.batchesRefused[RefusalClass.of(reason), default: 0] += 1 }
    }

    /// The figures now.
    public func snapshot() -> Snapshot {
        state.withLock { $0 }
    }
}
