/// The result of converting one source row: a record, or the row rejected whole with all its errors.
public enum RowOutcome: Sendable {
    /// The row passed all checks.
    case record(ImportedRecord)
    /// The row had at least one error and is not imported.
    case rejected(line: Int, errors: [RowError])
}
