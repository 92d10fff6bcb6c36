/// One comparison of a record pair, with its levels from best to worst.
public enum ComparisonField: String, Codable, Sendable, CaseIterable, Comparable {
    /// Given names: exact, close (nickname, Jaro-Winkler ≥ 0.92, one a prefix of the other),
    /// similar (Jaro-Winkler ≥ 0.80, same phonetic code, an initial), different.
    case givenName
    /// Family names: exact, close (Jaro-Winkler ≥ 0.92, one a prefix or suffix of the other: double
    /// names), similar (Jaro-Winkler ≥ 0.80, same phonetic code), different.
    case familyName
    /// Birth dates: exact, close (one typo or transposition, day and month swapped), different.
    case birthDate
    /// E-mail addresses (best over the two sets): exact, close (same local part, other domain),
    /// similar (local parts with Jaro-Winkler ≥ 0.90 and the same digits), different.
    case email
    /// Phone numbers (best over the sets): exact, close (one typo or transposition), different.
    case phone
    /// The address: exact (same street, house number and locality), close (street alike and same
    /// locality, or same street and the locality unknown or the same city under another postcode),
    /// similar (same locality, street different or unknown), different (another locality: moved).
    /// The locality is the postcode, or the city when a postcode is missing.
    case address

    /// The levels of this comparison, best first (a missing value on either side is no level: it
    /// weighs nothing).
    public var levels: [ComparisonLevel] {
        switch self {
        case .givenName, .familyName, .email, .address: return [.exact, .close, .similar, .different]
        case .birthDate, .phone: return [.exact, .close, .different]
        }
    }

    /// Position in ``allCases``.
    var index: Int {
        switch self {
        case .givenName: return 0
        case .familyName: return 1
        case .birthDate: return 2
        case .email: return 3
        case .phone: return 4
        case .address: return 5
        }
    }

    /// Declaration order.
    public static func < (lhs: ComparisonField, rhs: ComparisonField) -> Bool { lhs.index < rhs.index }
}
