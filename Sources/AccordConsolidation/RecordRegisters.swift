public import AccordModel

/// One author's registers on one record: survivorship's input, as the store holds it.
public struct RecordRegisters: Sendable, Equatable {
    /// The record.
    public var record: RecordKey
    /// The author of these registers.
    public var author: UnitID
    /// The registers.
    public var state: RecordState

    /// Creates the input.
    public init(record: RecordKey, author: UnitID, state: RecordState) {
        self.record = record
        self.author = author
        self.state = state
    }
}
