/// The comparison of one record pair: its pattern of levels, which names agreed exactly (for the
/// term-frequency adjustment) and whether it shares an e-mail address or phone number.
struct PairComparison: Sendable, Equatable {
    var pattern: ComparisonPattern
    /// The name id both given names agreed on exactly, else -1.
    var givenAgreement: Int32
    /// The name id both family names agreed on exactly, else -1.
    var familyAgreement: Int32
    /// Whether an e-mail address or a phone number is shared exactly.
    var sharesContact: Bool
}
