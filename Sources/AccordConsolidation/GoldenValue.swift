public import AccordModel

/// Where a golden value came from: one entry.
public struct Lineage: Sendable, Hashable {
    /// The unit holding the record (its owner).
    public var unit: UnitID { record.unit }
    /// The record.
    public var record: RecordKey
    /// The attribute.
    public var attribute: AttributeName
    /// The entry's author.
    public var author: UnitID
    /// The entry's clock reading.
    public var hlc: HLC

    /// Creates a lineage.
    public init(record: RecordKey, attribute: AttributeName, author: UnitID, hlc: HLC) {
        self.record = record
        self.attribute = attribute
        self.author = author
        self.hlc = hlc
    }
}

/// A profile's value of one attribute, with where it came from.
public struct GoldenValue: Sendable, Equatable {
    /// The attribute.
    public var attribute: AttributeName
    /// The value.
    public var value: Value
    /// The rule that chose it.
    public var rule: SurvivorshipRule.Kind
    /// The entries it came from: the chosen one, or (for a union) every one that contributed, in
    /// record and author order.
    public var lineage: [Lineage]
}
