public import AccordModel
public import AccordLedger
public import AccordCrypto
import AccordSQLite

/// A change the node's own unit wants to make to one record.
public struct PendingWrite: Sendable {
    /// The record to write.
    public var record: RecordKey
    /// The attributes to set (`nil` deletes), each at most once.
    public var changes: [(attribute: AttributeName, value: Value?)]

    /// Creates a pending write.
    public init(record: RecordKey, changes: [(attribute: AttributeName, value: Value?)]) {
        self.record = record
        self.changes = changes
    }
}

/// What a local commit did.
public struct LocalCommit: Sendable {
    /// Records that got at least one new entry.
    public var recordsChanged = 0
    /// Records whose every change equalled what the unit already held (nothing written).
    public var recordsUnchanged = 0
    /// Entries written.
    public var entriesWritten = 0
    /// The batches sealed, in order per stream.
    public var batches: [VerifiedBatch] = []
}

extension Store {
    /// Writes the node's own changes: merges them into the stored state, seals them into signed
    /// batches on the unit's streams (one leaf per record and share class), and advances the
    /// stream heads and the clock — all in one durable transaction.
    ///
    /// A change equal to what the unit already holds for that attribute is dropped, so re-running
    /// an import writes nothing twice.
    /// - Parameters:
    ///   - writes: the changes, in order; a record may appear more than once.
    ///   - shareClass: the share class of an attribute (from the policy); every attribute must have one.
    ///   - policyVersion: the policy version the unit holds, stamped on the batches.
    ///   - key: the unit's signing key.
    ///   - now: the wall clock in milliseconds since 1970.
    ///   - sealer: batch size limits.
    /// - Throws: ``StoreError``; on error nothing is stored.
    public func commitLocal(
        _ writes: [PendingWrite], shareClass: (AttributeName) -> String?, policyVersion: UInt64,
        key: Ed25519PrivateKey, now: UInt64, sealer: BatchSealer = BatchSealer()
    ) throws -> LocalCommit {
        catchUpClock()
        let savedClock = clock
        var salts = SaltSource(refill: max(1, writes.count * 2))
        do {
            var prepared: [PreparedWrite] = []
            prepared.reserveCapacity(writes.count)
            for write in writes {
                if let ready = try PreparedWrite.prepare(write, hlc: clock.tick(now: now), shareClass: shareClass, salts: &salts) {
                    prepared.append(ready)
                }
            }
            var result = try commitPrepared(prepared, policyVersion: policyVersion, key: key, now: now, sealer: sealer)
            result.recordsUnchanged += writes.count - prepared.count
            return result
        } catch {
            clock = savedClock
            throw error
        }
    }

    /// Writes prepared changes (see ``PreparedWrite``) in one durable transaction: new records are
    /// inserted as prepared; for records that exist, only the changes that differ from what the
    /// unit holds are written, with new leaves. Batches are sealed per share class, stream heads
    /// and the clock advance.
    /// - Parameters:
    ///   - prepared: writes whose clock readings come from this store's clock (or a clock
    ///     continued from it), increasing.
    ///   - policyVersion: the policy version the unit holds, stamped on the batches.
    ///   - key: the unit's signing key.
    ///   - now: the wall clock in milliseconds since 1970.
    ///   - sealer: batch size limits.
    /// - Throws: ``StoreError``; on error nothing is stored.
    public func commitPrepared(
        _ prepared: [PreparedWrite], policyVersion: UInt64, key: Ed25519PrivateKey, now: UInt64,
        sealer: BatchSealer = BatchSealer()
    ) throws -> LocalCommit {
        let author = try requireUnit()
        let savedClock = clock
        do {
            return try wrap("commit local writes") {
                try database.transaction {
                    try commitPreparedInTransaction(prepared, author: author, policyVersion: policyVersion, key: key,
                                                    now: now, sealer: sealer)
                }
            }
        } catch {
            clock = savedClock
            throw error
        }
    }

    func commitPreparedInTransaction(
        _ prepared: [PreparedWrite], author: UnitID, policyVersion: UInt64, key: Ed25519PrivateKey, now: UInt64,
        sealer: BatchSealer
    ) throws -> LocalCommit {
        try requireRecovered()
        var result = LocalCommit()
        // Leaves per share class; a handful of classes, so a small array beats hashing per leaf.
        var leavesByClass: [(name: String, leaves: [Leaf])] = []
        func collect(_ leaves: [(shareClass: String, leaf: Leaf)]) {
            for item in leaves {
                if let slot = leavesByClass.firstIndex(where: { $0.name == item.shareClass }) {
                    leavesByClass[slot].leaves.append(item.leaf)
                } else {
                    leavesByClass.append((name: item.shareClass, leaves: [item.leaf]))
                }
            }
        }
        var salts = SaltSource(refill: 64)
        var latest = clock.last
        for index in prepared.indices {
            if prepared[index].hlc > latest { latest = prepared[index].hlc }
            if try insertIfNew(prepared[index].freshState, prepared[index].record, author: author) {
                collect(prepared[index].leaves)
                result.recordsChanged += 1
                result.entriesWritten += prepared[index].freshEntries
                continue
            }
            let write = prepared[index]
            // The record exists: write only what differs from the unit's own entries.
            var state = try loadState(write.record, author: author) ?? RecordState()
            var changes: [(attribute: AttributeName, value: Value?)] = []
            var classes: [String] = []
            for (index, change) in write.changes.enumerated() where state.register(change.attribute)?.value != change.value {
                if change.value == nil && state.register(change.attribute) == nil { continue }
                changes.append(change)
                classes.append(write.classes[index])
            }
            guard !changes.isEmpty else {
                result.recordsUnchanged += 1
                continue
            }
            let made = try PreparedWrite.makeLeaves(record: write.record, hlc: write.hlc, changes: changes, classes: classes, salts: &salts)
            for (_, recordWrite) in made.writes { state.merge(recordWrite) }
            collect(made.leaves)
            try saveState(state, write.record, author: author)
            result.recordsChanged += 1
            result.entriesWritten += changes.count
        }
        if latest > clock.last { clock = HybridClock(last: latest) }
        leavesByClass.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for (name, leaves) in leavesByClass {
            let stream = StreamID(unchecked: author, shareClass: name)
            let head = try loadHead(stream)
            let sealed = try sealer.seal(leaves: leaves, continuing: head, policyVersion: policyVersion,
                                         createdAt: clock.last, key: key)
            for batch in sealed { try storeBatch(batch.batch, now: now) }
            if let last = sealed.last { try saveHead(StreamHead(stream: stream, sequence: last.batch.header.sequence, hash: last.batch.hash)) }
            result.batches += sealed
        }
        try persistClock()
        return result
    }

    /// Inserts a record state if the row does not exist; returns whether it was inserted.
    func insertIfNew(_ encoded: [UInt8], _ record: RecordKey, author: UnitID) throws -> Bool {
        try insertStateIfNew.bind(record.unit.rawValue, at: 1)
        try insertStateIfNew.bind(record.localId, at: 2)
        try insertStateIfNew.bind(author.rawValue, at: 3)
        try insertStateIfNew.bind(encoded, at: 4)
        try insertStateIfNew.run()
        return database.changes == 1
    }

    // MARK: Shared with apply

    func loadHead(_ stream: StreamID) throws -> StreamHead {
        defer { selectStream.reset() }
        try selectStream.bind(stream.author.rawValue, at: 1)
        try selectStream.bind(stream.shareClass, at: 2)
        guard try selectStream.step() else { return .empty(stream) }
        return StreamHead(stream: stream, sequence: UInt64(selectStream.int64(at: 0)), hash: selectStream.blob(at: 1))
    }

    func saveHead(_ head: StreamHead) throws {
        try upsertStream.bind(head.stream.author.rawValue, at: 1)
        try upsertStream.bind(head.stream.shareClass, at: 2)
        try upsertStream.bind(Int64(head.sequence), at: 3)
        try upsertStream.bind(head.hash, at: 4)
        try upsertStream.run()
    }

    func storeBatch(_ batch: Batch, now: UInt64) throws {
        try insertBatch.bind(batch.header.stream.author.rawValue, at: 1)
        try insertBatch.bind(batch.header.stream.shareClass, at: 2)
        try insertBatch.bind(Int64(batch.header.sequence), at: 3)
        try insertBatch.bind(batch.hash, at: 4)
        try insertBatch.bind(Int64(batch.leaves.count), at: 5)
        try insertBatch.bind(BatchCodec.encode(batch), at: 6)
        try insertBatch.bind(Int64(now), at: 7)
        try insertBatch.run()
    }
}
