/// Record attributes per matching role; several attributes may feed one role (their values are
/// pooled), a role without attributes is always missing.
public struct FieldMapping: Codable, Sendable, Equatable {
    /// Given names.
    public var givenName: [String]
    /// Family names.
    public var familyName: [String]
    /// Birth dates.
    public var birthDate: [String]
    /// E-mail addresses.
    public var email: [String]
    /// Phone numbers.
    public var phone: [String]
    /// Street and house number.
    public var street: [String]
    /// Postcodes.
    public var postcode: [String]
    /// Cities.
    public var city: [String]

    /// Creates a mapping.
    public init(
        givenName: [String], familyName: [String], birthDate: [String], email: [String], phone: [String],
        street: [String], postcode: [String], city: [String]
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
        self.email = email
        self.phone = phone
        self.street = street
        self.postcode = postcode
        self.city = city
    }

    /// The sample policy's attribute names (`given_name`, `family_name`, `birth_date`, `email`,
    /// `phone`, `street`, `postcode`, `city`).
    public static let standard = FieldMapping(
        givenName: ["given_name"], familyName: ["family_name"], birthDate: ["birth_date"], email: ["email"],
        phone: ["phone"], street: ["street"], postcode: ["postcode"], city: ["city"])
}
