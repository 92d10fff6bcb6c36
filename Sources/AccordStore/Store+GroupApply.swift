public import AccordLedger
public import AccordModel
import AccordSQLite

extension Store {
    /// Runs `body` in one durable transaction (`synchronous=FULL`) in which several received
    /// batches are applied with ``applyInGroup(_:writes:now:)``: one commit, one sync to disk for
    /// all of them. Nothing done in `body` is durable, and so nothing may be acknowledged, before
    /// this returns.
    /// - Throws: ``StoreError``: `body`'s own, or `.database` for any other failure of `body`, of
    ///   the begin or of the commit; nothing of the group is stored then.
    public func group<T>(_ body: () throws -> T) throws -> T {
        try wrap("commit a group of batches") { try database.transaction(body) }
    }

    /// Applies one verified batch inside ``group(_:)``, in a savepoint of its own: when it fails
    /// (gap, fork, broken link, malformed leaf, database error) only this batch is rolled back,
    /// and the group's other batches stay. Same checks and effects as ``apply(_:writes:now:)``.
    /// - Throws: ``StoreError`` `.gap`, `.fork`, `.brokenLink`, `.malformedLeaf` or `.database`;
    ///   nothing of this batch is applied then.
    public func applyInGroup(_ verified: VerifiedBatch, writes: [RecordWrite?]? = nil, now: UInt64) throws -> ApplyOutcome {
        try wrap("apply batch \(verified.batch.describe)") {
            try database.savepoint { try applyInOpenTransaction(verified, writes: writes, now: now) }
        }
    }
}
