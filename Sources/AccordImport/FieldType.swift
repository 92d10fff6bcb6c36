/// The kind of value an attribute holds; decides how ``Normalizer`` normalizes and validates it.
public enum FieldType: String, Sendable, CaseIterable {
    /// Free text: trimmed, internal whitespace collapsed to one space.
    case text
    /// A personal name: like `text`, plus Unicode NFC; case is never changed.
    case name
    /// An e-mail address, lower-cased and checked for `local@domain.tld` shape.
    case email
    /// A phone number, normalized to E.164 (`+<digits>`).
    case phone
    /// A calendar date, normalized to `YYYY-MM-DD`.
    case date
    /// A postal code: upper-cased, `[A-Z0-9 -]`, 3...10 bytes.
    case postcode
    /// An ISO 3166-1 alpha-2 country code (some names and alpha-3 codes are mapped).
    case country
    /// One of a fixed set of allowed values (case-insensitive, mapped to the canonical spelling).
    case enumeration = "enum"
}

/// How to read all-numeric dates whose year comes last (`07.03.1984`, `3/7/1984`).
public enum DateOrder: String, Sendable {
    /// `D.M.YYYY`, `D/M/YYYY`, `D-M-YYYY` (Europe). Year-first formats are accepted too.
    case dayFirst
    /// `M/D/YYYY`, `M.D.YYYY`, `M-D-YYYY` (US). Year-first formats are accepted too.
    case monthFirst
    /// Only year-first formats (`YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`) are accepted.
    case yearFirst
}
