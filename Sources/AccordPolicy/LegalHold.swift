/// A legal hold: data that must be kept, whatever erasure requests and retention say, until the
/// governance team lifts the hold in a later policy version. It covers whole share classes, some
/// records, or the given classes of some records.
public struct LegalHold: Sendable, Equatable {
    /// The hold's id, such as `claim-2026-17`.
    public let id: String
    /// Why the data is held.
    public let reason: String
    /// A case or ticket reference, empty when the policy gives none.
    public let reference: String
    /// The share classes held; `nil` for every class (of the held records).
    public let classes: Set<String>?
    /// The records held, as `unit/localId`; `nil` for every record (of the held classes).
    public let records: Set<String>?

    /// Creates a hold (no validation; `Policy.parse` validates that it names classes, records or both).
    public init(id: String, reason: String, reference: String = "", classes: Set<String>?, records: Set<String>?) {
        self.id = id
        self.reason = reason
        self.reference = reference
        self.classes = classes
        self.records = records
    }

    /// Whether the hold covers the entries of one share class on one record.
    /// - Parameters:
    ///   - record: the record as `unit/localId`.
    ///   - shareClass: the share class.
    public func covers(record: String, shareClass: String) -> Bool {
        (classes?.contains(shareClass) ?? true) && (records?.contains(record) ?? true)
    }
}
