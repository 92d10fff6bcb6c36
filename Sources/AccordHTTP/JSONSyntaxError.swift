/// Why a document is not valid JSON, and where: line and column (1-based, in bytes) and the
/// JSON path being read.
public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was wrong.
    public let reason: String
    /// The line of the offending byte.
    public let line: Int
    /// The column of the offending byte, counted in bytes.
    public let column: Int
    /// The JSON path being read, such as `$.values.email`.
    public let path: String

    /// `malformed JSON at line 1, column 12 ($.values): unexpected "}", expected a value`.
    public var description: String { "malformed JSON at line \(line), column \(column) (\(path)): \(reason)" }
}
