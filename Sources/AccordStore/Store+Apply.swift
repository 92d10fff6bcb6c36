public import AccordModel
public import AccordLedger
import AccordSQLite

/// What applying a received batch did.
public enum ApplyOutcome: Equatable, Sendable {
    /// The batch was new and is now stored; `recordsChanged` record states changed.
    case applied(recordsChanged: Int)
    /// The same batch was already stored: nothing changed.
    case duplicate
}

extension Store {
    /// Applies a verified batch from any author: checks that it continues its stream (no gap, no
    /// fork, previous-hash link), merges every leaf's entries, stores the batch and advances the
    /// stream head, in one durable transaction. Applying the same batch twice changes nothing.
    /// - Parameters:
    ///   - verified: a batch whose signature was checked against its author's key.
    ///   - writes: the leaves already decoded, in leaf order (`nil` for redacted leaves), if the
    ///     caller has them; otherwise they are decoded here.
    ///   - now: the wall clock in milliseconds since 1970, recorded with the batch.
    /// - Throws: ``StoreError`` `.gap`, `.fork`, `.brokenLink` or `.malformedLeaf`; nothing is applied then.
    public func apply(_ verified: VerifiedBatch, writes decoded: [RecordWrite?]? = nil, now: UInt64) throws -> ApplyOutcome {
        try wrap("apply batch \(verified.batch.describe)") {
            try database.transaction { try applyInOpenTransaction(verified, writes: decoded, now: now) }
        }
    }

    /// The work of ``apply(_:writes:now:)`` inside a transaction (or savepoint) the caller opened.
    func applyInOpenTransaction(_ verified: VerifiedBatch, writes decoded: [RecordWrite?]?, now: UInt64) throws -> ApplyOutcome {
        let batch = verified.batch
        let header = batch.header
        let head = try loadHead(header.stream)
        if header.sequence <= head.sequence {
            guard try storedHash(header.stream, sequence: header.sequence) == batch.hash else {
                throw StoreError(.fork, "batch \(batch.describe) differs from the stored batch with the same sequence number")
            }
            return .duplicate
        }
        guard header.sequence == head.sequence + 1 else {
            throw StoreError(.gap, "batch \(batch.describe) skips ahead: the stream stands at \(head.sequence)")
        }
        guard header.previousHash == head.hash else {
            throw StoreError(.brokenLink, "batch \(batch.describe) does not link to the stored batch #\(head.sequence)")
        }
        var changed = 0
        for (index, leaf) in batch.leaves.enumerated() {
            let write: RecordWrite?
            if let decoded, decoded.count == batch.leaves.count {
                write = decoded[index]
            } else {
                do {
                    write = try leaf.recordWrite()
                } catch {
                    throw StoreError(.malformedLeaf, "leaf \(index) of batch \(batch.describe) does not decode", cause: error)
                }
            }
            guard let write else { continue }
            var fresh = RecordState()
            fresh.merge(write)
            if try insertIfNew(EntryCodec.encode(fresh), write.record, author: header.stream.author) {
                changed += 1
                continue
            }
            var state = try loadState(write.record, author: header.stream.author) ?? RecordState()
            if state.merge(write) {
                try saveState(state, write.record, author: header.stream.author)
                changed += 1
            }
        }
        try storeBatch(batch, now: now)
        try saveHead(StreamHead(stream: header.stream, sequence: header.sequence, hash: batch.hash))
        try persistClock()
        return .applied(recordsChanged: changed)
    }

    /// Whether this very batch (same stream, sequence and hash) is already stored.
    public func holds(_ batch: Batch) throws -> Bool {
        try wrap("look up a batch") { try storedHash(batch.stream, sequence: batch.header.sequence) == batch.hash }
    }

    func storedHash(_ stream: StreamID, sequence: UInt64) throws -> [UInt8]? {
        let statement = try database.prepare("SELECT hash FROM batches WHERE author = ? AND share_class = ? AND sequence = ?")
        try statement.bind(stream.author.rawValue, at: 1)
        try statement.bind(stream.shareClass, at: 2)
        try statement.bind(Int64(sequence), at: 3)
        return try statement.step() ? statement.blob(at: 0) : nil
    }

    /// Records a batch the node refused, with the reason, so the governance view can show it.
    /// The batch's content is kept for inspection; it is never applied.
    public func recordRejection(stream: StreamID?, sequence: UInt64?, reason: String, body: [UInt8]?, now: UInt64) throws {
        try wrap("record a rejected batch") {
            try database.transaction {
                let statement = try database.prepare(
                    "INSERT INTO rejected_batches(author, share_class, sequence, reason, rejected_at, body) VALUES(?, ?, ?, ?, ?, ?)")
                try statement.bind(stream?.author.rawValue, at: 1)
                try statement.bind(stream?.shareClass, at: 2)
                try statement.bind(sequence.map { Int64($0) }, at: 3)
                try statement.bind(reason, at: 4)
                try statement.bind(Int64(now), at: 5)
                try statement.bind(body, at: 6)
                try statement.run()
            }
        }
    }
}
