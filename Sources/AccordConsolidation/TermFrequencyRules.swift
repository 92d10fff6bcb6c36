/// Term-frequency adjustment: an exact agreement on a common name counts less than on a rare one.
public struct TermFrequencyRules: Codable, Sendable, Equatable {
    /// Whether given names are adjusted.
    public var givenName: Bool
    /// Whether family names are adjusted.
    public var familyName: Bool
    /// Only values held by at least this many records are listed in the trained table (so rare
    /// names, which identify people, never enter the policy).
    public var minimumCount: Int
    /// Adjustments are clamped to `-maximumPenalty ... +maximumBonus` bits.
    public var maximumPenalty: Double
    /// See ``maximumPenalty``.
    public var maximumBonus: Double

    /// Creates the rules.
    public init(givenName: Bool, familyName: Bool, minimumCount: Int, maximumPenalty: Double, maximumBonus: Double) {
        self.givenName = givenName
        self.familyName = familyName
        self.minimumCount = minimumCount
        self.maximumPenalty = maximumPenalty
        self.maximumBonus = maximumBonus
    }

    /// Both names, values held by 50+ records, clamped to -6...+2 bits.
    public static let standard = TermFrequencyRules(
        givenName: true, familyName: true, minimumCount: 50, maximumPenalty: 6, maximumBonus: 2)
}
