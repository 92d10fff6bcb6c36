/// One record as a unit holds it: a possibly noisy copy of a ``SamplePerson``.
public struct SampleRecord: Sendable {
    /// The unit holding the record.
    public let unit: String
    /// The unit's local id, e.g. `R-000123`.
    public let localId: String
    /// The person this record describes (ground truth for matching tests).
    public let personId: Int
    /// Values in the order of ``SamplePopulation/csvHeader`` without `id` (empty = missing).
    public let values: [String]

    /// Creates a record.
    /// - Parameters:
    ///   - unit: unit name.
    ///   - localId: local id.
    ///   - personId: true person index.
    ///   - values: values in ``SamplePopulation/attributeNames`` order.
    public init(unit: String, localId: String, personId: Int, values: [String]) {
        self.unit = unit
        self.localId = localId
        self.personId = personId
        self.values = values
    }

    /// Attribute name -> value, leaving out missing (empty) values.
    public var fields: [String: String] {
        var result: [String: String] = [:]
        for (name, value) in zip(SamplePopulation.attributeNames, values) where !value.isEmpty {
            result[name] = value
        }
        return result
    }
}
