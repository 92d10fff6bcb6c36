import AccordImport

/// Everything identity resolution is configured by, apart from the trained weights
/// (``MatchParameters``): which attributes feed which comparison, normalization, blocking,
/// thresholds, the conflict rules and the chaining guard. A plain value with a stable JSON form
/// (``ConsolidationJSON``), meant for the policy's `identityResolution` section.
public struct ResolutionRules: Codable, Sendable, Equatable {
    /// Which record attributes feed each role.
    public var fields: FieldMapping
    /// How values are normalized for matching.
    public var normalization: MatchNormalization
    /// Which blocking keys make candidate pairs, and the block-size cap.
    public var blocking: BlockingRules
    /// The two score thresholds, in bits.
    public var thresholds: MatchThresholds
    /// Rules that keep different people apart whatever the other fields say.
    public var conflicts: ConflictRules
    /// The chaining guard of clustering.
    public var clustering: ClusteringRules
    /// Term-frequency adjustment of exact name agreements.
    public var termFrequency: TermFrequencyRules

    /// Creates rules.
    public init(
        fields: FieldMapping = .standard, normalization: MatchNormalization = .standard,
        blocking: BlockingRules = .standard, thresholds: MatchThresholds = .standard,
        conflicts: ConflictRules = .standard, clustering: ClusteringRules = .standard,
        termFrequency: TermFrequencyRules = .standard
    ) {
        self.fields = fields
        self.normalization = normalization
        self.blocking = blocking
        self.thresholds = thresholds
        self.conflicts = conflicts
        self.clustering = clustering
        self.termFrequency = termFrequency
    }

    /// The defaults, tuned on nothing but documented in `docs/decisions.md`.
    public static let standard = ResolutionRules()
}

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

/// The two thresholds on a pair's score (bits of evidence, prior included).
public struct MatchThresholds: Codable, Sendable, Equatable {
    /// At or above: the records link automatically.
    public var link: Double
    /// At or above (and below ``link``): the pair goes to the steward review queue.
    public var review: Double

    /// Creates thresholds.
    public init(link: Double, review: Double) {
        self.link = link
        self.review = review
    }

    /// Link at 8 bits (posterior odds 256:1), review from 0 bits (even odds).
    public static let standard = MatchThresholds(link: 8, review: 0)
}

/// Hard rules for pairs that are different people however much else agrees (households, twins,
/// parent and child of the same name).
public struct ConflictRules: Codable, Sendable, Equatable {
    /// Different given names (not equal, not nicknames, not close in spelling, in the better of the
    /// straight and the swapped name order): the pair never links; it is reviewed only if it shares
    /// an e-mail address or phone number. Given names only `similar` (Lena and Lina) without a shared
    /// e-mail address or phone number: the pair is reviewed, never linked automatically.
    public var differentGivenNames: Bool
    /// Different birth dates (not one typo or a day/month swap apart): the pair never links; at most
    /// it is reviewed.
    public var differentBirthDates: Bool

    /// Creates rules.
    public init(differentGivenNames: Bool, differentBirthDates: Bool) {
        self.differentGivenNames = differentGivenNames
        self.differentBirthDates = differentBirthDates
    }

    /// Both on.
    public static let standard = ConflictRules(differentGivenNames: true, differentBirthDates: true)
}

/// The chaining guard.
public struct ClusteringRules: Codable, Sendable, Equatable {
    /// Whether the guard is on. Off, clustering is plain union-find over the links (single linkage),
    /// still honouring cannot-links: only for measuring what the guard does.
    public var chainingGuard: Bool
    /// Two clusters merge over a link only if no pair of records across them is in conflict
    /// (``ConflictRules``) and every such pair scores at least this many bits (`nil`: the review
    /// threshold). So a record that links to two different people does not chain them into one profile.
    public var cohesionFloor: Double?

    /// Creates the guard.
    public init(chainingGuard: Bool = true, cohesionFloor: Double? = -10) {
        self.chainingGuard = chainingGuard
        self.cohesionFloor = cohesionFloor
    }

    /// On, with a floor of -10 bits (odds of 1:1024 against a match, for that pair on its own).
    public static let standard = ClusteringRules()
}

/// Term-frequency adjustment: an exact agreement on a common name counts less than on a rare one.
public struct TermFrequencyRules: Codable, Sendable, Equatable {
    /// Whether given names are adjusted.
    public var givenName: Bool
    /// Whether family names are adjusted.
    public var familyName: Bool
    /// Only values held by at least this many records are listed in the trained table (so rare
    /// names, which identify people, never enter the policy).
    public var minimumCount: Int
    /// Adjustments are clamped to `-maximumPenalty ... +maximumBonus` bits.
    public var maximumPenalty: Double
    /// See ``maximumPenalty``.
    public var maximumBonus: Double

    /// Creates the rules.
    public init(givenName: Bool, familyName: Bool, minimumCount: Int, maximumPenalty: Double, maximumBonus: Double) {
        self.givenName = givenName
        self.familyName = familyName
        self.minimumCount = minimumCount
        self.maximumPenalty = maximumPenalty
        self.maximumBonus = maximumBonus
    }

    /// Both names, values held by 50+ records, clamped to -6...+2 bits.
    public static let standard = TermFrequencyRules(
        givenName: true, familyName: true, minimumCount: 50, maximumPenalty: 6, maximumBonus: 2)
}

extension ResolutionRules {
    /// Checks the rules for consistency.
    /// - Throws: ``ConsolidationError`` `.invalidRules` naming the setting.
    public func validate() throws(ConsolidationError) {
        guard thresholds.link.isFinite, thresholds.review.isFinite, thresholds.review <= thresholds.link else {
            throw ConsolidationError(.invalidRules, "thresholds: review must be finite and at most link")
        }
        if let floor = clustering.cohesionFloor, !floor.isFinite {
            throw ConsolidationError(.invalidRules, "clustering.cohesionFloor must be finite")
        }
        guard !blocking.keys.isEmpty, Set(blocking.keys).count == blocking.keys.count else {
            throw ConsolidationError(.invalidRules, "blocking.keys must name at least one key, each once")
        }
        guard blocking.maxBlockSize >= 2 else {
            throw ConsolidationError(.invalidRules, "blocking.maxBlockSize must be at least 2")
        }
        guard DateOrder(rawValue: normalization.dateOrder) != nil else {
            throw ConsolidationError(.invalidRules, "normalization.dateOrder must be dayFirst, monthFirst or yearFirst")
        }
        let country = Array(normalization.defaultCountry.utf8)
        guard country.count == 2, country.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw ConsolidationError(.invalidRules, "normalization.defaultCountry must be an ISO 3166-1 alpha-2 code such as DE")
        }
        guard termFrequency.minimumCount >= 1, termFrequency.maximumPenalty >= 0, termFrequency.maximumBonus >= 0 else {
            throw ConsolidationError(.invalidRules, "termFrequency: minimumCount must be at least 1 and the clamps not negative")
        }
    }

    /// The cohesion floor in effect: the configured one, else the review threshold.
    var effectiveCohesionFloor: Double { clustering.cohesionFloor ?? thresholds.review }
}
