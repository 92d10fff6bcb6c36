import Foundation

/// How often values of one field occur among records, for term-frequency adjustment.
public struct TermFrequencyTable: Codable, Sendable, Equatable {
    /// The field (``ComparisonField/givenName`` or ``ComparisonField/familyName``).
    public var field: ComparisonField
    /// The probability that two random records agree exactly: `Σ f(v)²` over all values.
    public var averageAgreement: Double
    /// The frequency assumed for values not in ``values`` (the table's count floor over the records).
    public var rareFrequency: Double
    /// Normalized value → share of records holding it, for values held by at least the rules'
    /// `minimumCount` records.
    public var values: [String: Double]

    /// Creates a table.
    public init(field: ComparisonField, averageAgreement: Double, rareFrequency: Double, values: [String: Double]) {
        self.field = field
        self.averageAgreement = averageAgreement
        self.rareFrequency = rareFrequency
        self.values = values
    }

    /// The adjustment in bits for an exact agreement on `value`: `log2(averageAgreement / f(value))`,
    /// clamped as the rules say.
    func adjustment(for value: String, rules: TermFrequencyRules) -> Double {
        let frequency = values[value] ?? rareFrequency
        return min(rules.maximumBonus, max(-rules.maximumPenalty, log2(averageAgreement / frequency)))
    }
}
