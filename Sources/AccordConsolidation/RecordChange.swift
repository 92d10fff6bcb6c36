public import AccordModel

/// A change to the resolver's records.
public enum RecordChange: Sendable {
    /// Add a record, or replace the values of one with the same key.
    case upsert(IdentityRecord)
    /// Remove a record (erasure, or the record left the node's view).
    case remove(RecordKey)
}
