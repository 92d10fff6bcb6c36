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
