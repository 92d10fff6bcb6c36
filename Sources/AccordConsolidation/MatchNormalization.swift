/// Normalization settings for matching.
public struct MatchNormalization: Codable, Sendable, Equatable {
    /// ISO 3166-1 alpha-2 country for national phone numbers and postcode lengths (`DE`).
    public var defaultCountry: String
    /// How year-last dates are read: `dayFirst`, `monthFirst` or `yearFirst` (as ``DateOrder``).
    public var dateOrder: String
    /// Whether documented provider rules apply to e-mail addresses (Gmail ignores dots in the local
    /// part and a `+tag`, and `googlemail.com` is `gmail.com`).
    public var emailProviderRules: Bool
    /// Whether given names are compared through the nickname table (`Bill` ~ `William`, `Sepp` ~ `Josef`).
    public var nicknames: Bool
    /// The phonetic code of the name blocking key and the `similar` level: `koelner` or `soundex`.
    public var phonetic: PhoneticCode

    /// Creates settings.
    public init(
        defaultCountry: String = "DE", dateOrder: String = "dayFirst", emailProviderRules: Bool = true,
        nicknames: Bool = true, phonetic: PhoneticCode = .koelner
    ) {
        self.defaultCountry = defaultCountry
        self.dateOrder = dateOrder
        self.emailProviderRules = emailProviderRules
        self.nicknames = nicknames
        self.phonetic = phonetic
    }

    /// Germany, day first, provider rules and nicknames on, Kölner Phonetik.
    public static let standard = MatchNormalization()
}

/// A phonetic code for names.
public enum PhoneticCode: String, Codable, Sendable, CaseIterable {
    /// Kölner Phonetik, for German names.
    case koelner
    /// American Soundex, for English names.
    case soundex
}
