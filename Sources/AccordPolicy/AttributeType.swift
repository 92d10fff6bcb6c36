/// The value type of a policy attribute; decides how values are validated and normalized.
public enum AttributeType: String, Sendable, CaseIterable {
    /// Free text.
    case text
    /// A person's name (normalized for matching).
    case name
    /// An email address.
    case email
    /// A phone number (normalized to E.164).
    case phone
    /// A calendar date.
    case date
    /// A postal code.
    case postcode
    /// An ISO 3166-1 alpha-2 country code.
    case country
    /// One of a fixed list of values (`allowedValues`); spelled `"enum"` in JSON.
    case enumeration = "enum"
}
