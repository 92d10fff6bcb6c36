/// A blocking key: records sharing the key's value become candidate pairs.
public enum BlockingKey: String, Codable, Sendable, CaseIterable, Comparable {
    /// The normalized e-mail address (one key per address).
    case email
    /// The phone number in E.164 (one key per number).
    case phone
    /// The phonetic code of the given or the family name, with the birth date (both names, so that
    /// swapped names and changed family names still meet).
    case namePhoneticBirthDate
    /// The postcode with the birth date.
    case postcodeBirthDate
    /// The given name's initial (through the nickname table), the family name and the postcode.
    case givenInitialFamilyPostcode
    /// The local part of the e-mail address (meets changed e-mail domains).
    case emailLocalPart
    /// Street, house number and postcode.
    case address

    /// Declaration order.
    public static func < (lhs: BlockingKey, rhs: BlockingKey) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Blocking configuration.
public struct BlockingRules: Codable, Sendable, Equatable {
    /// The keys in use.
    public var keys: [BlockingKey]
    /// A block with more records than this makes no pairs at all (a shared family e-mail address,
    /// a placeholder phone number), so that common values do not explode the comparisons.
    public var maxBlockSize: Int

    /// Creates blocking rules.
    public init(keys: [BlockingKey], maxBlockSize: Int) {
        self.keys = keys
        self.maxBlockSize = maxBlockSize
    }

    /// Every key (e-mail, phone, name phonetic + birth date, postcode + birth date, initial + family +
    /// postcode, e-mail local part, address); blocks of at most 40 records.
    public static let standard = BlockingRules(keys: BlockingKey.allCases, maxBlockSize: 40)
}
