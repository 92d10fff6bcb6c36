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

/// How well two values agree.
public enum ComparisonLevel: String, Codable, Sendable, CaseIterable {
    /// Equal after normalization.
    case exact
    /// Nearly equal (see each ``ComparisonField``).
    case close
    /// Somewhat alike.
    case similar
    /// Not alike.
    case different

    /// Position in ``allCases`` (the code in a comparison pattern).
    var code: UInt8 {
        switch self {
        case .exact: return 0
        case .close: return 1
        case .similar: return 2
        case .different: return 3
        }
    }

    /// The level of a code.
    init?(code: UInt8) {
        switch code {
        case 0: self = .exact
        case 1: self = .close
        case 2: self = .similar
        case 3: self = .different
        default: return nil
        }
    }
}

/// A pair's levels, one per ``ComparisonField``, packed 3 bits each (7 = missing).
public struct ComparisonPattern: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The packed levels.
    public let rawValue: UInt32

    /// The code of a missing value.
    static let missing: UInt8 = 7

    /// All fields missing.
    static let allMissing = ComparisonPattern(rawValue: (0..<ComparisonField.allCases.count).reduce(UInt32(0)) { $0 | UInt32(missing) << (3 * UInt32($1)) })

    /// Wraps packed levels.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates a pattern from levels by field (absent: missing).
    public init(_ levels: [ComparisonField: ComparisonLevel]) {
        var raw = ComparisonPattern.allMissing.rawValue
        for (field, level) in levels { raw = ComparisonPattern.set(raw, field.index, level.code) }
        rawValue = raw
    }

    /// The level of one field, `nil` when a value is missing.
    public func level(_ field: ComparisonField) -> ComparisonLevel? { ComparisonLevel(code: code(field.index)) }

    /// The 3-bit code of field `index`.
    @inline(__always)
    func code(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: rawValue >> (3 * UInt32(index))) & 7 }

    @inline(__always)
    static func set(_ raw: UInt32, _ index: Int, _ code: UInt8) -> UInt32 {
        let shift = 3 * UInt32(index)
        return raw & ~(7 << shift) | UInt32(code) << shift
    }

    /// The pattern with one field set.
    func setting(_ index: Int, _ code: UInt8) -> ComparisonPattern {
        ComparisonPattern(rawValue: ComparisonPattern.set(rawValue, index, code))
    }

    /// Numeric order of the packed value.
    public static func < (lhs: ComparisonPattern, rhs: ComparisonPattern) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `givenName=exact familyName=close ...`, missing fields left out.
    public var description: String {
        ComparisonField.allCases.compactMap { field in level(field).map { "\(field.rawValue)=\($0.rawValue)" } }
            .joined(separator: " ")
    }
}
