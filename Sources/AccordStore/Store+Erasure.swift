public import AccordModel
public import AccordLedger
public import AccordCrypto
import AccordSQLite

/// A salted hash that marks something erased on this node: a record key (every later entry on it
/// is refused) or an identifier (entries carrying it that were written before the request are
/// refused). The salt is the node's own (``Store/tombstoneSalt()``), so the table alone does not
/// say whom it is about.
public struct Tombstone: Hashable, Sendable {
    /// What a tombstone marks.
    public enum Kind: String, Sendable {
        /// A record key, `unit/localId`.
        case record
        /// A normalized email or phone number.
        case identifier
    }

    /// `SHA-256(node salt || kind || text)`.
    public var hash: [UInt8]
    /// What it marks.
    public var kind: Kind
    /// The erasure request that made it, `requester/id`.
    public var request: String
    /// Entries written (by their clock reading) before this time are refused; `Int64.max` for records.
    public var beforeMillis: Int64

    /// Creates a tombstone.
    public init(hash: [UInt8], kind: Kind, request: String, beforeMillis: Int64) {
        self.hash = hash
        self.kind = kind
        self.request = request
        self.beforeMillis = beforeMillis
    }
}

/// What one erasure pass removed on this node.
public struct ErasureOutcome: Equatable, Sendable {
    /// Registers removed from record states.
    public var entries = 0
    /// Leaves redacted in stored batches.
    public var leaves = 0
    /// Leaves redacted (or bodies dropped) in the bodies of refused batches kept for inspection.
    public var refusedBodies = 0

    /// Creates an outcome.
    public init(entries: Int = 0, leaves: Int = 0, refusedBodies: Int = 0) {
        self.entries = entries
        self.leaves = leaves
        self.refusedBodies = refusedBodies
    }
}

extension Store {
    /// The node's tombstone salt: 16 random bytes made when the store was created; it never leaves the node.
    public func tombstoneSalt() throws -> [UInt8] {
        try wrap("read the tombstone salt") {
            let statement = try database.prepare("SELECT value FROM meta WHERE key = 'erasure:salt'")
            guard try statement.step() else { throw StoreError(.corrupt, "\(path) has no tombstone salt") }
            return statement.blob(at: 0)
        }
    }

    /// Every tombstone.
    public func tombstones() throws -> [Tombstone] {
        try wrap("read the tombstones") {
            try database.prepare("SELECT hash, kind, request, before_ms FROM erasure_tombstones").rows { row in
                Tombstone(hash: row.blob(at: 0), kind: Tombstone.Kind(rawValue: row.text(at: 1)) ?? .record,
                          request: row.text(at: 2), beforeMillis: row.int64(at: 3))
            }
        }
    }

    /// A counter that changes whenever tombstones are added, so a cache of them knows when to reload.
    public func tombstoneGeneration() throws -> Int64 {
        try wrap("read the tombstone generation") { try metaInteger("erasure:generation") ?? 0 }
    }

    /// Visits every record state (any author), in key order. `body` must not write to the store.
    public func forEachRecordState(_ body: (RecordKey, UnitID, RecordState) throws -> Void) throws {
        try wrap("read the record states") {
            let rows = try database.prepare("SELECT unit, local_id, author, state FROM record_state ORDER BY unit, local_id, author")
            defer { rows.reset() }
            while try rows.step() {
                let record = RecordKey(unchecked: UnitID(unchecked: rows.text(at: 0)), localId: rows.text(at: 1))
                let author = UnitID(unchecked: rows.text(at: 2))
                let state: RecordState
                do {
                    state = try EntryCodec.decodeRecordState(rows.blob(at: 3))
                } catch {
                    throw StoreError(.corrupt, "stored state of \(record) by \(author) does not decode", cause: error)
                }
                try body(record, author, state)
            }
        }
    }

    /// Visits every leaf of every stored batch that still has content. `body` must not write to the store.
    public func forEachLeaf(_ body: (StreamID, RecordWrite) throws -> Void) throws {
        try wrap("read the stored leaves") {
            let rows = try database.prepare("SELECT author, share_class, body FROM batches")
            defer { rows.reset() }
            while try rows.step() {
                let stream = StreamID(unchecked: UnitID(unchecked: rows.text(at: 0)), shareClass: rows.text(at: 1))
                let batch: Batch
                do {
                    batch = try BatchCodec.decode(rows.blob(at: 2))
                } catch {
                    throw StoreError(.corrupt, "a stored batch of \(stream) does not decode", cause: error)
                }
                for leaf in batch.leaves {
                    guard let write = try leaf.recordWrite() else { continue }
                    try body(stream, write)
                }
            }
        }
    }

    /// The record keys of `unit` whose local id starts with `prefix`, in order.
    public func recordKeys(unit: UnitID, localIdPrefix prefix: String) throws -> [RecordKey] {
        var upper = Array(prefix.utf8)
        guard let last = upper.popLast() else { return try recordKeys(unit: unit, limit: Int.max) }
        upper.append(last &+ 1)
        return try wrap("list records") {
            let statement = try database.prepare(
                "SELECT DISTINCT local_id FROM record_state WHERE unit = ? AND local_id >= ? AND local_id < ? ORDER BY local_id")
            try statement.bind(unit.rawValue, at: 1)
            try statement.bind(prefix, at: 2)
            try statement.bind(String(decoding: upper, as: UTF8.self), at: 3)
            return try statement.rows { RecordKey(unchecked: unit, localId: $0.text(at: 0)) }
        }
    }

    /// Erases records in one durable transaction: removes every author's registers on them except
    /// those `keepEntry` keeps (legal holds), redacts their leaves in stored batches (content
    /// dropped, hash kept: the batches still verify) except those `keepLeaf` keeps, redacts them in
    /// the bodies of refused batches (dropping bodies that no longer decode), adds the tombstones,
    /// and, if `acknowledge` gives one, commits the node's own acknowledgement entry in the same
    /// transaction. Afterwards call ``purgeFreedBytes()`` to take the bytes out of the WAL.
    /// - Parameters:
    ///   - records: the records to erase.
    ///   - keepEntry: whether a register (record, attribute) stays, under a legal hold.
    ///   - keepLeaf: whether a leaf (share class, record) stays, under a legal hold.
    ///   - tombstones: tombstones to add (existing ones are kept).
    ///   - now: the wall clock in milliseconds since 1970.
    ///   - acknowledge: the node's acknowledgement, made from what was removed, with what it needs to commit it.
    /// - Throws: ``StoreError``; nothing changes then.
    @discardableResult
    public func erase(
        records: Set<RecordKey>, keepEntry: (RecordKey, AttributeName) -> Bool, keepLeaf: (String, RecordKey) -> Bool,
        tombstones: [Tombstone], now: UInt64, acknowledge: ErasureAcknowledging? = nil
    ) throws -> ErasureOutcome {
        let savedClock = clock
        do {
            return try wrap("erase records") {
                try database.transaction {
                    var outcome = ErasureOutcome()
                    outcome.entries = try removeEntries(of: records, keep: keepEntry)
                    outcome.leaves = try redactLeavesInTransaction(inClass: nil) { name, write in
                        records.contains(write.record) && !keepLeaf(name, write.record)
                    }
                    outcome.refusedBodies = try redactRefusedBodies(of: records)
                    try addTombstones(tombstones, now: now)
                    // Once per node and request, also when two processes carry out the same request.
                    if let acknowledge, try loadState(acknowledge.record, author: try requireUnit())?.register(ErasureAcknowledgement.attribute) == nil {
                        catchUpClock()
                        var salts = SaltSource(refill: 2)
                        let write = acknowledge.make(outcome)
                        if let prepared = try PreparedWrite.prepare(write, hlc: clock.tick(now: now), shareClass: acknowledge.shareClass, salts: &salts) {
                            _ = try commitPreparedInTransaction([prepared], author: try requireUnit(), policyVersion: acknowledge.policyVersion,
                                                                key: acknowledge.key, now: now, sealer: BatchSealer())
                        }
                    }
                    try setMeta("erasure:checkpoint-pending", integer: 1)
                    return outcome
                }
            }
        } catch {
            clock = savedClock
            throw error
        }
    }

    private func removeEntries(of records: Set<RecordKey>, keep: (RecordKey, AttributeName) -> Bool) throws -> Int {
        let delete = try database.prepare("DELETE FROM record_state WHERE unit = ? AND local_id = ? AND author = ?")
        var removed = 0
        for record in records.sorted() {
            for (author, state) in try recordStates(record) {
                let kept = state.entries.filter { keep(record, $0.attribute) }
                guard kept.count != state.entries.count else { continue }
                removed += state.entries.count - kept.count
                if kept.isEmpty {
                    try delete.bind(record.unit.rawValue, at: 1)
                    try delete.bind(record.localId, at: 2)
                    try delete.bind(author.rawValue, at: 3)
                    try delete.run()
                } else {
                    try saveState(RecordState(registers: Dictionary(uniqueKeysWithValues: kept.map { ($0.attribute, $0.register) })),
                                  record, author: author)
                }
            }
        }
        return removed
    }

    /// Refused batches keep their body for inspection; the leaves of erased records in them go too,
    /// as do leaves that do not decode and bodies that do not decode at all (they might hold anything).
    private func redactRefusedBodies(of records: Set<RecordKey>) throws -> Int {
        let rows = try database.prepare("SELECT id, body FROM rejected_batches WHERE body IS NOT NULL")
        var rewrites: [(Int64, [UInt8]?)] = []
        while try rows.step() {
            guard var batch = try? BatchCodec.decode(rows.blob(at: 1)) else {
                rewrites.append((rows.int64(at: 0), nil))
                continue
            }
            var changed = false
            for index in batch.leaves.indices where !batch.leaves[index].isRedacted {
                if let write = try? batch.leaves[index].recordWrite(), !records.contains(write.record) { continue }
                batch = batch.redacting(leafAt: index)
                changed = true
            }
            if changed { rewrites.append((rows.int64(at: 0), BatchCodec.encode(batch))) }
        }
        rows.reset()
        let update = try database.prepare("UPDATE rejected_batches SET body = ? WHERE id = ?")
        for (id, body) in rewrites {
            try update.bind(body, at: 1)
            try update.bind(id, at: 2)
            try update.run()
        }
        return rewrites.count
    }

    private func addTombstones(_ tombstones: [Tombstone], now: UInt64) throws {
        guard !tombstones.isEmpty else { return }
        let insert = try database.prepare(
            "INSERT OR IGNORE INTO erasure_tombstones(hash, kind, request, before_ms, at_ms) VALUES(?, ?, ?, ?, ?)")
        for tombstone in tombstones {
            try insert.bind(tombstone.hash, at: 1)
            try insert.bind(tombstone.kind.rawValue, at: 2)
            try insert.bind(tombstone.request, at: 3)
            try insert.bind(tombstone.beforeMillis, at: 4)
            try insert.bind(Int64(now), at: 5)
            try insert.run()
        }
        try setMeta("erasure:generation", integer: (try metaInteger("erasure:generation") ?? 0) + 1)
    }

    /// The legal holds the last erasure sweep ran under (see the node's erasure runs), if any.
    public func erasureHoldsMark() throws -> String? {
        try wrap("read the erasure mark") { try metaText("erasure:holds") }
    }

    /// Records the legal holds an erasure sweep ran under.
    public func setErasureHoldsMark(_ mark: String) throws {
        try wrap("write the erasure mark") { try database.transaction { try setMeta("erasure:holds", text: mark) } }
    }

    /// Whether this node already noted (audited) `unit`'s part in `request`; notes it if not.
    /// - Returns: `true` the first time.
    public func noteErasureSeen(request: String, unit: String) throws -> Bool {
        try wrap("note an erasure entry") {
            try database.transaction {
                let insert = try database.prepare("INSERT OR IGNORE INTO erasure_seen(request, unit) VALUES(?, ?)")
                try insert.bind(request, at: 1)
                try insert.bind(unit, at: 2)
                try insert.run()
                return database.changes == 1
            }
        }
    }
}

/// What ``Store/erase(records:keepEntry:keepLeaf:tombstones:now:acknowledge:)`` needs to commit the
/// node's acknowledgement in the same transaction as the erasure.
public struct ErasureAcknowledging {
    /// The erasure record the acknowledgement goes on; none is written if the node already acknowledged there.
    public var record: RecordKey
    /// The acknowledgement write, made from what the erasure removed.
    public var make: (ErasureOutcome) -> PendingWrite
    /// The share class of an attribute (the erasure class for the acknowledgement).
    public var shareClass: (AttributeName) -> String?
    /// The policy version stamped on the batch.
    public var policyVersion: UInt64
    /// The unit's signing key.
    public var key: Ed25519PrivateKey

    /// Creates the parts of an acknowledgement.
    public init(record: RecordKey, make: @escaping (ErasureOutcome) -> PendingWrite, shareClass: @escaping (AttributeName) -> String?,
                policyVersion: UInt64, key: Ed25519PrivateKey) {
        self.record = record
        self.make = make
        self.shareClass = shareClass
        self.policyVersion = policyVersion
        self.key = key
    }
}
