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
        let author = try requireUnit()
        let savedClock = clock
        do {
            return try wrap("commit local writes") {
                try database.transaction {
                    try commitLocalInTransaction(writes, author: author, shareClass: shareClass,
                                                 policyVersion: policyVersion, key: key, now: now, sealer: sealer)
                }
            }
        } catch {
            clock = savedClock
            throw error
        }
    }

    private func commitLocalInTransaction(
        _ writes: [PendingWrite], author: UnitID, shareClass: (AttributeName) -> String?, policyVersion: UInt64,
        key: Ed25519PrivateKey, now: UInt64, sealer: BatchSealer
    ) throws -> LocalCommit {
        var result = LocalCommit()
        var bodiesByClass: [String: [[UInt8]]] = [:]
        for write in writes {
            var state = try loadState(write.record, author: author) ?? RecordState()
            let changed = write.changes.filter { change in
                if let current = state.registers[change.attribute] { return current.value != change.value }
                return change.value != nil
            }
            guard !changed.isEmpty else {
                result.recordsUnchanged += 1
                continue
            }
            var byClass: [String: [(attribute: AttributeName, value: Value?)]] = [:]
            for change in changed {
                guard let name = shareClass(change.attribute) else {
                    throw StoreError(.malformedLeaf, "attribute \(change.attribute) has no share class in the policy")
                }
                byClass[name, default: []].append(change)
            }
            let hlc = clock.tick(now: now)
            for (name, changes) in byClass.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                let recordWrite: RecordWrite
                do {
                    recordWrite = try RecordWrite(record: write.record, hlc: hlc, changes: changes)
                } catch {
                    throw StoreError(.malformedLeaf, "write on \(write.record) is not valid", cause: error)
                }
                state.merge(recordWrite)
                bodiesByClass[name, default: []].append(EntryCodec.encode(recordWrite))
            }
            try saveState(state, write.record, author: author)
            result.recordsChanged += 1
            result.entriesWritten += changed.count
        }
        for name in bodiesByClass.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let stream = StreamID(unchecked: author, shareClass: name)
            let head = try loadHead(stream)
            let sealed = try sealer.seal(bodiesByClass[name]!, continuing: head, policyVersion: policyVersion,
                                         createdAt: clock.last, key: key)
            for batch in sealed { try storeBatch(batch.batch, now: now) }
            if let last = sealed.last { try saveHead(StreamHead(stream: stream, sequence: last.batch.header.sequence, hash: last.batch.hash)) }
            result.batches += sealed
        }
        try persistClock()
        return result
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
