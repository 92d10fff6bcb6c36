import AccordNode
import AccordStore
import Dispatch
import Synchronization

/// The API's read path: `Node`s of their own opened on the node directory, each with its own
/// SQLite connection made query-only. SQLite in WAL mode runs them in parallel with each other
/// and with the engine's writer (sync, local writes), each reading the last committed state; so
/// reads never wait for the engine's lock. At most `size` readers run at once; they are opened
/// on first use and reused, and reopened after the engine adopts a newer policy (a reader's
/// policy is the one it was opened with).
final class ReadPool: Sendable {
    /// One reader. `@unchecked Sendable`: a reader is used by one thread at a time, handed out and
    /// back through the pool's mutex, and its connection is query-only.
    private final class Reader: @unchecked Sendable {
        let node: Node
        let epoch: Int
        init(node: Node, epoch: Int) {
            self.node = node
            self.epoch = epoch
        }
    }

    private let directory: String
    private let engine: SyncEngine
    private let idle = Mutex<[Reader]>([])
    private let slots: DispatchSemaphore

    /// Creates an empty pool.
    /// - Parameters:
    ///   - directory: the node directory.
    ///   - engine: the serving node's engine (for its policy epoch).
    ///   - size: most readers at once.
    init(directory: String, engine: SyncEngine, size: Int) {
        self.directory = directory
        self.engine = engine
        self.slots = DispatchSemaphore(value: max(1, size))
    }

    /// Runs `body` with a reader (waiting while all are busy).
    /// - Throws: what opening a reader or `body` throws.
    func read<T>(_ body: (Node) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let epoch = engine.policyEpoch
        let reader: Reader
        if let reused = idle.withLock({ readers in readers.popLast() }), reused.epoch == epoch {
            reader = reused
        } else {
            let node = try Node(directory: directory)
            try node.store.makeQueryOnly()
            reader = Reader(node: node, epoch: epoch)
        }
        defer { idle.withLock { $0.append(reader) } }
        return try body(reader.node)
    }
}
