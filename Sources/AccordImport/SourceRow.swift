/// One row read from a source file, before mapping and normalization.
public struct SourceRow: Sendable {
    /// Physical line number where the row starts (the CSV header is line 1).
    public let line: Int
    /// Field values in header (or column list) order.
    public let fields: [String]
    /// Set when the reader could not parse the row (e.g. a malformed JSON line); the reason
    /// names no values. ``RowImporter`` rejects such rows with this reason.
    public let malformed: String?

    /// Creates a row.
    /// - Parameters:
    ///   - line: source line number.
    ///   - fields: field values.
    ///   - malformed: parse problem, if any.
    public init(line: Int, fields: [String], malformed: String? = nil) {
        self.line = line
        self.fields = fields
        self.malformed = malformed
    }
}
