/// How often each kind of realistic corruption hits one unit's record of a person, for matching
/// benchmarks and tests (``SampleSpread``). Each rate is the probability per record, drawn
/// independently; a record can have several.
///
/// Unlike ``SamplePopulation/records(unit:coverage:noise:)``, whose noise the import's normalizers
/// undo, these change what a matcher sees: misspelled, shortened, swapped or missing names, changed
/// contact data, moved addresses.
public struct SampleCorruption: Sendable, Equatable {
    /// A one-letter typo in the given name (substitution, deletion, transposition or a doubled letter).
    public var givenTypo: Double
    /// A one-letter typo in the family name.
    public var familyTypo: Double
    /// A nickname instead of the given name (Wilhelm → Willi, Johann → Hans, Katharina → Käthe), where
    /// the person's name has one.
    public var nickname: Double
    /// Given and family name swapped.
    public var swappedNames: Double
    /// Umlauts and accents written out or dropped (`Müller` → `Mueller` or `Muller`), in names and the street.
    public var transliterated: Double
    /// A different family name (married, or a second name used alone).
    public var familyChanged: Double
    /// Birth date missing.
    public var missingBirthDate: Double
    /// Birth date mistyped: day and month swapped, or one digit of the day wrong.
    public var birthTypo: Double
    /// E-mail address missing.
    public var missingEmail: Double
    /// The same local part at another provider.
    public var emailDomainChanged: Double
    /// An entirely different e-mail address.
    public var emailReplaced: Double
    /// Phone number missing.
    public var missingPhone: Double
    /// Another phone number.
    public var phoneReplaced: Double
    /// The phone written in a national format (`0151 2345678`, `(0151) 234-5678`, `+49 (0)151 ...`).
    public var phoneFormatted: Double
    /// The birth date written `07.03.1984`, `19840307`, `1984/03/07`, or with the month's name.
    public var dateFormatted: Double
    /// Street, city and postcode missing.
    public var missingAddress: Double
    /// An older or newer address (the person moved).
    public var moved: Double
    /// `Straße` written `Str.`, `Strasse` or `str`.
    public var streetAbbreviated: Double
    /// A postcode's leading zero lost (as spreadsheets do), for postcodes that have one.
    public var postcodeZeroDropped: Double
    /// Names or e-mail in capitals, or with stray spaces.
    public var caseAndSpacing: Double
    /// For a household member: the household's shared e-mail address or landline instead of their own.
    public var householdSharedContact: Double

    /// Creates rates (all zero unless given).
    public init(
        givenTypo: Double = 0, familyTypo: Double = 0, nickname: Double = 0, swappedNames: Double = 0,
        transliterated: Double = 0, familyChanged: Double = 0, missingBirthDate: Double = 0, birthTypo: Double = 0,
        missingEmail: Double = 0, emailDomainChanged: Double = 0, emailReplaced: Double = 0, missingPhone: Double = 0,
        phoneReplaced: Double = 0, phoneFormatted: Double = 0, dateFormatted: Double = 0, missingAddress: Double = 0,
        moved: Double = 0, streetAbbreviated: Double = 0, postcodeZeroDropped: Double = 0, caseAndSpacing: Double = 0,
        householdSharedContact: Double = 0
    ) {
        self.givenTypo = givenTypo
        self.familyTypo = familyTypo
        self.nickname = nickname
        self.swappedNames = swappedNames
        self.transliterated = transliterated
        self.familyChanged = familyChanged
        self.missingBirthDate = missingBirthDate
        self.birthTypo = birthTypo
        self.missingEmail = missingEmail
        self.emailDomainChanged = emailDomainChanged
        self.emailReplaced = emailReplaced
        self.missingPhone = missingPhone
        self.phoneReplaced = phoneReplaced
        self.phoneFormatted = phoneFormatted
        self.dateFormatted = dateFormatted
        self.missingAddress = missingAddress
        self.moved = moved
        self.streetAbbreviated = streetAbbreviated
        self.postcodeZeroDropped = postcodeZeroDropped
        self.caseAndSpacing = caseAndSpacing
        self.householdSharedContact = householdSharedContact
    }

    /// No corruption: every record holds the person's true values.
    public static let none = SampleCorruption()

    /// The benchmark's rates (documented in `Benchmarks/README.md`).
    public static let standard = SampleCorruption(
        givenTypo: 0.04, familyTypo: 0.04, nickname: 0.08, swappedNames: 0.02, transliterated: 0.15, familyChanged: 0.02,
        missingBirthDate: 0.08, birthTypo: 0.02, missingEmail: 0.12, emailDomainChanged: 0.08, emailReplaced: 0.04,
        missingPhone: 0.15, phoneReplaced: 0.06, phoneFormatted: 0.35, dateFormatted: 0.35, missingAddress: 0.06,
        moved: 0.08, streetAbbreviated: 0.25, postcodeZeroDropped: 0.5, caseAndSpacing: 0.08, householdSharedContact: 0.15)
}
