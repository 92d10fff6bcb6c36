/// A segment filter that does not parse or names something the policy does not define, with the
/// column (1-based, in characters) where the problem is and what was expected there.
/// Messages quote only the filter's own words, never customer data.
public struct SegmentSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The column of the offending token, starting at 1 (the length + 1 at the end of the text).
    public let column: Int
    /// What the parser expected there, such as `a value in double quotes`.
    public let expected: String
    /// What it found, such as `end of filter` or `"and"`.
    public let found: String

    /// Creates an error.
    public init(column: Int, expected: String, found: String) {
        self.column = column
        self.expected = expected
        self.found = found
    }

    /// `column 7: expected a value in double quotes, found end of filter`.
    public var description: String { "column \(column): expected \(expected), found \(found)" }
}
