public import AccordModel
public import AccordLedger
public import AccordCrypto
import AccordSQLite
import Foundation

/// Counts of what a store holds.
public struct StoreCounts: Equatable, Sendable {
    /// Distinct records `(unit, localId)`.
    public var records: Int
    /// Stored record states `(record, author)`.
    public var recordStates: Int
    /// Stored batches.
    public var batches: Int
    /// Stored leaves across all batches.
    public var leaves: Int
    /// Refused batches recorded.
    public var rejectedBatches: Int

    /// Creates counts.
    public init(records: Int, recordStates: Int, batches: Int, leaves: Int, rejectedBatches: Int) {
        self.records = records
        self.recordStates = recordStates
        self.batches = batches
        self.leaves = leaves
        self.rejectedBatches = rejectedBatches
    }
}

/// A batch the node refused, as recorded.
public struct RejectedBatch: Equatable, Sendable {
    /// The stream, when the batch decoded far enough to name it.
    public var stream: StreamID?
    /// The sequence number, when known.
    public var sequence: UInt64?
    /// Why it was refused.
    public var reason: String
    /// When, milliseconds since 1970.
    public var rejectedAtMillis: Int64

    /// Creates a record of a refused batch.
    public init(stream: StreamID?, sequence: UInt64?, reason: String, rejectedAtMillis: Int64) {
        self.stream = stream
        self.sequence = sequence
        self.reason = reason
        self.rejectedAtMillis = rejectedAtMillis
    }
}

extension Store {
    /// The head of every stream the store holds: the version vector `{(author, class): sequence}`.
    public func streamHeads() throws -> [StreamHead] {
        try wrap("read the version vector") { try Self.streamHeads(in: database) }
    }

    /// The stream heads of any Accord database, also one not opened as a store (a backup file).
    static func streamHeads(in database: Database) throws -> [StreamHead] {
        let statement = try database.prepare("SELECT author, share_class, sequence, hash FROM streams ORDER BY author, share_class")
        return try statement.rows {
            StreamHead(stream: StreamID(unchecked: UnitID(unchecked: $0.text(at: 0)), shareClass: $0.text(at: 1)),
                       sequence: UInt64($0.int64(at: 2)), hash: $0.blob(at: 3))
        }
    }

    /// The head of one stream (sequence 0 when the store holds none of it).
    public func streamHead(_ stream: StreamID) throws -> StreamHead {
        try wrap("read a stream head") { try loadHead(stream) }
    }

    /// Stored batches of a stream with sequence numbers after `after`, oldest first, at most `limit`.
    /// - Throws: ``StoreError`` `.corrupt` when a stored batch no longer decodes.
    public func batches(in stream: StreamID, after: UInt64, limit: Int = 64) throws -> [Batch] {
        try wrap("read batches") {
            let statement = try database.prepare(
                "SELECT body FROM batches WHERE author = ? AND share_class = ? AND sequence > ? ORDER BY sequence LIMIT ?")
            try statement.bind(stream.author.rawValue, at: 1)
            try statement.bind(stream.shareClass, at: 2)
            try statement.bind(Int64(after), at: 3)
            try statement.bind(limit, at: 4)
            return try statement.rows { row in
                do {
                    return try BatchCodec.decode(row.blob(at: 0))
                } catch {
                    throw StoreError(.corrupt, "a stored batch of \(stream) does not decode", cause: error)
                }
            }
        }
    }

    /// What the store holds, counted.
    public func counts() throws -> StoreCounts {
        try wrap("count") {
            func count(_ sql: String) throws -> Int {
                let statement = try database.prepare(sql)
                _ = try statement.step()
                return statement.int(at: 0)
            }
            return StoreCounts(
                records: try count("SELECT COUNT(*) FROM (SELECT DISTINCT unit, local_id FROM record_state)"),
                recordStates: try count("SELECT COUNT(*) FROM record_state"),
                batches: try count("SELECT COUNT(*) FROM batches"),
                leaves: try count("SELECT COALESCE(SUM(leaf_count), 0) FROM batches"),
                rejectedBatches: try count("SELECT COUNT(*) FROM rejected_batches"))
        }
    }

    /// The most recent refused batches, newest first.
    public func rejectedBatches(limit: Int = 100) throws -> [RejectedBatch] {
        try wrap("read rejected batches") {
            let statement = try database.prepare(
                "SELECT author, share_class, sequence, reason, rejected_at FROM rejected_batches ORDER BY id DESC LIMIT ?")
            try statement.bind(limit, at: 1)
            return try statement.rows { row in
                var stream: StreamID?
                if let author = row.optionalText(at: 0), let name = row.optionalText(at: 1) {
                    stream = StreamID(unchecked: UnitID(unchecked: author), shareClass: name)
                }
                return RejectedBatch(stream: stream, sequence: row.isNull(at: 2) ? nil : UInt64(row.int64(at: 2)),
                                     reason: row.text(at: 3), rejectedAtMillis: row.int64(at: 4))
            }
        }
    }

    /// A digest of every entry the store holds: SHA-256 over the canonical record states in key
    /// order. Two stores that hold the same entries report the same digest, whatever order the
    /// entries arrived in.
    public func digest() throws -> SHA256Digest {
        try wrap("compute the digest") {
            let hasher = SHA256Hasher()
            let statement = try database.prepare("SELECT unit, local_id, author, state FROM record_state ORDER BY unit, local_id, author")
            while try statement.step() {
                var writer = BinaryWriter(capacity: 64)
                writer.writeString(statement.text(at: 0))
                writer.writeString(statement.text(at: 1))
                writer.writeString(statement.text(at: 2))
                hasher.update(writer.bytes)
                statement.withBlob(at: 3) { blob in
                    var length = BinaryWriter(capacity: 4)
                    length.writeVarint(UInt64(blob.count))
                    hasher.update(length.bytes)
                    hasher.update(blob)
                }
            }
            return hasher.finalize()
        }
    }

    /// A digest per share class: SHA-256 over every entry of that class, in key order (record,
    /// author, attribute), each as its canonical bytes. Two stores that hold the same entries of a
    /// class report the same digest for it, whatever else they hold and however the entries arrived.
    /// - Parameter classOf: the share class of an attribute; entries of attributes without one are left out.
    public func classDigests(classOf: (AttributeName) -> String?) throws -> [String: SHA256Digest] {
        try wrap("compute the digests") {
            var hashers: [String: SHA256Hasher] = [:]
            let statement = try database.prepare("SELECT unit, local_id, author, state FROM record_state ORDER BY unit, local_id, author")
            while try statement.step() {
                let unit = statement.text(at: 0), localId = statement.text(at: 1), author = statement.text(at: 2)
                let state: RecordState
                do {
                    state = try EntryCodec.decodeRecordState(statement.blob(at: 3))
                } catch {
                    throw StoreError(.corrupt, "stored state of \(unit)/\(localId) by \(author) does not decode", cause: error)
                }
                for entry in state.entries {
                    guard let name = classOf(entry.attribute) else { continue }
                    var writer = BinaryWriter(capacity: 96)
                    writer.writeString(unit)
                    writer.writeString(localId)
                    writer.writeString(author)
                    writer.writeString(entry.attribute.rawValue)
                    writer.writeUInt64(entry.register.hlc.rawValue)
                    EntryCodec.writeValue(entry.register.value, to: &writer)
                    let hasher = hashers[name] ?? SHA256Hasher()
                    hashers[name] = hasher
                    hasher.update(writer.bytes)
                }
            }
            return hashers.mapValues { $0.finalize() }
        }
    }

    /// Runs SQLite's `integrity_check` and returns its first line (`ok` when sound).
    public func integrityCheck() throws -> String {
        try wrap("check integrity") { try database.pragma("integrity_check") ?? "no answer" }
    }

    /// The size of the database file and its WAL, in bytes.
    public func fileSize() -> Int64 {
        var total: Int64 = 0
        for suffix in ["", "-wal"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        }
        return total
    }
}
