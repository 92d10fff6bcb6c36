import AccordNode
import AccordStore
import Foundation

/// The API's read path: `Node`s of their own opened on the node directory, each with its own
/// SQLite connection made query-only. SQLite in WAL mode runs them in parallel with each other
/// and with the engine's writer (sync, local writes), each reading the last committed state; so
/// reads never wait for the engine's lock.
///
/// The pool has a fixed number of slots, each holding at most one reader behind its own lock; a
/// connection always uses the slot of its number, so connections share no lock unless there are
/// more of them than slots (then two may take turns on one slot). Readers are opened on first
/// use and reopened after the engine adopts a newer policy (a reader's policy is the one it was
/// opened with).
final class ReadPool: Sendable {
    /// One slot. `@unchecked Sendable`: `reader` is only touched while `lock` is held, by the
    /// thread of one request; its connection is query-only.
    fileprivate final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var reader: Node?
        var epoch = -1
    }

    private let directory: String
    private let engine: SyncEngine
    private let slots: [Slot]

    /// Creates a pool.
    /// - Parameters:
    ///   - directory: the node directory.
    ///   - engine: the serving node's engine (for its policy epoch).
    ///   - size: how many readers at most.
    init(directory: String, engine: SyncEngine, size: Int) {
        self.directory = directory
        self.engine = engine
        self.slots = (0..<max(1, size)).map { _ in Slot() }
    }

    /// A lease for one request of a connection: it takes the connection's slot at the first read
    /// and gives it back on ``ReadLease/release()``.
    func lease(connection: UInt64) -> ReadLease { ReadLease(pool: self, slot: slots[Int(connection % UInt64(slots.count))]) }

    /// Locks a slot and returns its reader, opening one when it has none or the policy changed.
    fileprivate func acquire(_ slot: Slot) throws -> Node {
        slot.lock.lock()
        let epoch = engine.policyEpoch
        if let reader = slot.reader, slot.epoch == epoch { return reader }
        do {
            let node = try Node(directory: directory)
            try node.store.makeQueryOnly()
            slot.reader = node
            slot.epoch = epoch
            return node
        } catch {
            slot.lock.unlock()
            throw error
        }
    }
}

/// One request's use of the read pool: the slot is taken at the first read and kept until
/// ``release()``, so that a request (its token and its record) takes one lock. Used by the
/// request's thread only.
final class ReadLease {
    private let pool: ReadPool
    private let slot: ReadPool.Slot
    private var node: Node?

    fileprivate init(pool: ReadPool, slot: ReadPool.Slot) {
        self.pool = pool
        self.slot = slot
    }

    /// Runs `body` with the lease's reader.
    func read<T>(_ body: (Node) throws -> T) throws -> T {
        if node == nil { node = try pool.acquire(slot) }
        return try body(node!)
    }

    /// Gives the slot back, if it was taken.
    func release() {
        guard node != nil else { return }
        node = nil
        slot.lock.unlock()
    }

    deinit { release() }
}
