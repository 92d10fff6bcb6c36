/// How a sample person relates to the other person of its pair (persons `2k` and `2k+1`).
public enum SampleRelation: Sendable, Equatable {
    /// No relation to another sample person.
    case single
    /// Shares family name and address with `partner` (different given name and birth date).
    case household(partner: Int)
    /// Shares family name, birth date and address with `sibling` (different given name).
    case twin(sibling: Int)
}

/// One synthetic person: the "true" values that units' records are noisy copies of.
public struct SamplePerson: Sendable, Equatable {
    /// Index of the person in its population (0-based).
    public let personId: Int
    /// Given name (may contain umlauts, accents, a hyphen).
    public let givenName: String
    /// Family name (may be double-barrelled or have a particle such as "von").
    public let familyName: String
    /// Birth date `YYYY-MM-DD`, 1940...2006.
    public let birthDate: String
    /// E-mail address derived from the name, lower-case.
    public let email: String
    /// German mobile number in E.164.
    public let phone: String
    /// Street and house number.
    public let street: String
    /// City.
    public let city: String
    /// 5-digit postcode of the city.
    public let postcode: String
    /// ISO alpha-2 country (`DE`).
    public let country: String
    /// Household or twin relation to the other person of its pair.
    public let relation: SampleRelation
}
