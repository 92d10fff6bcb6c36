/// A rule letting a unit write its own entries on records that other units own, such as support
/// correcting a phone number on retail's customer. The owner's entries are never overwritten: the
/// writer's entries stand beside them and survivorship decides what a profile shows.
public struct WriteRule: Sendable, Equatable {
    /// The unit that may write.
    public let writer: String
    /// The attributes it may write on others' records.
    public let attributes: Set<String>
    /// Whose records: the owning units, or every member when `nil`.
    public let owners: Set<String>?

    /// Creates a rule (no validation; `Policy.parse` validates).
    /// - Parameters:
    ///   - writer: the writing unit.
    ///   - attributes: the attributes it may write.
    ///   - owners: the owners whose records it may write on; `nil` for all.
    public init(writer: String, attributes: Set<String>, owners: Set<String>?) {
        self.writer = writer
        self.attributes = attributes
        self.owners = owners
    }
}
