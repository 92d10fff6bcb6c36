import AccordNode
import AccordStore
import Dispatch
import Foundation
import AccordHTTP
import Synchronization

/// The API's access log: one audit entry per request that touches personal data, written in
/// groups through the engine (one transaction per group, at most every `interval` seconds), so
/// that reads cost no commit of their own and never wait for the writer.
///
/// An entry is durable within about `interval` of its request; a crash loses at most the entries
/// of that window (writes themselves are durable before they are answered, and consent and access
/// requests are audited in the same step by the node). When `capacity` entries are waiting
/// (the writer is stuck), requests touching personal data are refused with 503 instead of going
/// unlogged.
final class AuditTrail: Sendable {
    private let engine: SyncEngine
    private let interval: Double
    private let capacity: Int
    private let logger: Logger
    /// How many buffers entries are spread over (by connection), so concurrent requests rarely share a lock.
    static let shards = 16
    private final class Shard: Sendable {
        let entries = Mutex<[AuditEntry]>([])
    }
    private let pending = (0..<AuditTrail.shards).map { _ in Shard() }
    private let waiting = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(engine: SyncEngine, interval: Double, capacity: Int, logger: Logger) {
        self.engine = engine
        self.interval = interval
        self.capacity = capacity
        self.logger = logger
    }

    /// Starts the writing thread.
    func start() {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                _ = wake.wait(timeout: .now() + interval)
                flush()
            }
            flush()
            finished.signal()
        }
        thread.name = "accord-api-audit"
        thread.start()
    }

    /// Writes what is waiting and stops the thread.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        _ = finished.wait(timeout: .now() + 10)
    }

    /// Refuses with 503 when the log cannot keep up.
    func ensureRoom() throws {
        let waiting = waiting.load(ordering: .relaxed)
        guard waiting < capacity else {
            throw HTTPError(.serviceUnavailable, "the audit log is \(waiting) entries behind; requests touching personal data wait until it catches up")
        }
    }

    /// Queues an entry in one of the buffers.
    func record(_ entry: AuditEntry, shard: Int) {
        pending[shard % Self.shards].entries.withLock { $0.append(entry) }
        if waiting.add(1, ordering: .relaxed).newValue % 1024 == 0 { wake.signal() }
    }

    /// Writes every waiting entry in one transaction, in time order; on failure they wait for the next round.
    func flush() {
        var batch: [AuditEntry] = []
        for shard in pending {
            batch += shard.entries.withLock { entries in
                defer { entries.removeAll(keepingCapacity: true) }
                return entries
            }
        }
        guard !batch.isEmpty else { return }
        batch.sort { $0.atMillis < $1.atMillis }
        do {
            try engine.withNode { try $0.store.appendAudit(batch) }
            waiting.subtract(batch.count, ordering: .relaxed)
        } catch {
            logger.error("cannot write the API access log; will retry", ["entries": "\(batch.count)", "reason": "\(error)"])
            pending[0].entries.withLock { $0.insert(contentsOf: batch, at: 0) }
        }
    }
}
