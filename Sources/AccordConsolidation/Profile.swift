public import AccordModel

/// A profile: the records judged to be one person.
public struct Profile: Sendable, Equatable {
    /// Its id.
    public let id: ProfileID
    /// The anchor record: earliest created, ties by key; the id derives from it.
    public let anchor: RecordKey
    /// Its records, in key order.
    public let records: [RecordKey]

    /// Creates a profile.
    public init(id: ProfileID, anchor: RecordKey, records: [RecordKey]) {
        self.id = id
        self.anchor = anchor
        self.records = records
    }
}
