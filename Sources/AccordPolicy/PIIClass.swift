/// How personal an attribute is; drives minimization, export and erasure handling.
public enum PIIClass: String, Sendable, CaseIterable {
    /// Not personal data on its own (a segment, a date of first purchase).
    case none
    /// Identifies a person only in combination with other data (postcode, city).
    case indirect
    /// Identifies a person directly (name, email, phone).
    case direct
    /// Special or high-risk data (bank account, health).
    case sensitive
}
