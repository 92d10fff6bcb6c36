/// Settings shared by all normalizers of one import.
public struct NormalizationSettings: Sendable {
    /// ISO 3166-1 alpha-2 country used for national phone numbers (e.g. `"DE"`).
    public var defaultCountry: String
    /// How to read dates whose year comes last.
    public var dateOrder: DateOrder
    /// The byte separating the values of a multi-valued field (default `|`).
    public var multiValueSeparator: UInt8

    /// Creates settings.
    /// - Parameters:
    ///   - defaultCountry: ISO alpha-2 country for national phone numbers (default `"DE"`).
    ///   - dateOrder: day/month order for year-last dates (default `.dayFirst`).
    ///   - multiValueSeparator: separator byte for multi-valued fields (default `|`).
    public init(defaultCountry: String = "DE", dateOrder: DateOrder = .dayFirst, multiValueSeparator: UInt8 = UInt8(ascii: "|")) {
        self.defaultCountry = defaultCountry
        self.dateOrder = dateOrder
        self.multiValueSeparator = multiValueSeparator
    }
}
