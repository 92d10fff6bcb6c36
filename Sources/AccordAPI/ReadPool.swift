import AccordNode
import AccordStore
import Foundation

/// The API's read path: `Node`s of their own opened on the node directory, each with its own
/// SQLite connection made query-only, its hot statements prepared once (``AccordStore/StoreReader``).
/// SQLite in WAL mode runs them in parallel with each other and with the engine's writer (sync,
/// local writes), each reading the last committed state; so reads never wait for the engine's lock.
///
/// The pool has a fixed number of slots, each holding at most one reader behind its own lock; a
/// connection always uses the slot of its number, so connections share no lock unless there are
/// more of them than slots (then two take turns on one slot). Readers are opened on first use and
/// reopened after the engine adopts a newer policy (a reader's policy is the one it was opened with).
final class ReadPool: Sendable {
    /// A node opened for reading, with its prepared reads.
    struct Reader {
        let node: Node
        let statements: StoreReader
    }

    /// One slot (used by ``ReadLease``). `@unchecked Sendable`: `reader` is only touched while `lock` is held, by the
    /// thread of one request; its connection is query-only.
    final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var reader: Reader?
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

    /// Locks a slot and returns its reader in a read transaction, opening one when it has none
    /// or the policy changed.
    func acquire(_ slot: Slot) throws -> Reader {
        slot.lock.lock()
        do {
            let epoch = engine.policyEpoch
            if slot.reader == nil || slot.epoch != epoch {
                let node = try Node(directory: directory)
                try node.store.makeQueryOnly()
                slot.reader = Reader(node: node, statements: try StoreReader(store: node.store))
                slot.epoch = epoch
            }
            let reader = slot.reader!
            try reader.statements.beginRead()
            return reader
        } catch {
            slot.lock.unlock()
            throw error
        }
    }

    func giveBack(_ slot: Slot, _ reader: Reader) {
        reader.statements.endRead()
        slot.lock.unlock()
    }
}
