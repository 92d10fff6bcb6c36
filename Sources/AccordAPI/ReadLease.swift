/// One request's use of the read pool: the slot is taken at the first read and kept until
/// ``release()``, so that a request (its token and its record) takes one lock and reads one
/// snapshot. Used by the request's thread only.
final class ReadLease {
    private let pool: ReadPool
    private let slot: ReadPool.Slot
    private var reader: ReadPool.Reader?

    init(pool: ReadPool, slot: ReadPool.Slot) {
        self.pool = pool
        self.slot = slot
    }

    /// Runs `body` with the lease's reader.
    func read<T>(_ body: (ReadPool.Reader) throws -> T) throws -> T {
        if reader == nil { reader = try pool.acquire(slot) }
        return try body(reader!)
    }

    /// Ends the read transaction and gives the slot back, if it was taken.
    func release() {
        guard let reader else { return }
        self.reader = nil
        pool.giveBack(slot, reader)
    }

    deinit { release() }
}
