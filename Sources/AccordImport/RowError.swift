/// Why one field (or a whole row) of the source was rejected. Never carries the raw value.
public struct RowError: Sendable, Equatable, CustomStringConvertible {
    /// Physical line number where the row starts.
    public let line: Int
    /// Source column name; empty for problems with the whole row.
    public let column: String
    /// What was wrong, without the value (values are personal data).
    public let reason: String

    /// Creates a row error.
    /// - Parameters:
    ///   - line: source line number.
    ///   - column: source column name, or `""` for the whole row.
    ///   - reason: what was wrong; must not contain the value.
    public init(line: Int, column: String, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 17, column "email": not an email address`, or `line 17: reason` for row problems.
    public var description: String {
        column.isEmpty ? "line \(line): \(reason)" : "line \(line), column \"\(column)\": \(reason)"
    }
}
