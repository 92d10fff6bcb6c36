/// One source row that passed validation, with its normalized values.
public struct ImportedRecord: Sendable {
    /// Physical line number where the row starts in the source.
    public let line: Int
    /// The unit's local identifier of the customer (trimmed).
    public let localId: String
    /// Attribute values in rule order; only attributes with a (non-empty) value are present.
    public let values: [(attribute: String, value: ImportedValue)]

    /// Creates a record.
    /// - Parameters:
    ///   - line: source line number.
    ///   - localId: the unit's local identifier.
    ///   - values: normalized values in rule order.
    public init(line: Int, localId: String, values: [(attribute: String, value: ImportedValue)]) {
        self.line = line
        self.localId = localId
        self.values = values
    }

    /// The value of `attribute`, if present.
    /// - Parameter attribute: the attribute name.
    public func value(_ attribute: String) -> ImportedValue? {
        values.first { $0.attribute == attribute }?.value
    }
}
