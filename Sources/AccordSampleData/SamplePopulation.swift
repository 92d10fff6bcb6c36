/// How a population draws names.
public enum SampleNameFrequencies: Sendable, Equatable {
    /// Every name of the lists equally often.
    case uniform
    /// Skewed like real name frequencies: the `r`-th family name of the list (ordered by German
    /// frequency, Müller first) with weight `r^-0.6`, so Müller is ~4.4% of persons and the last
    /// ~0.14%; given names alike within the female and the male list (Anna and Lukas ~3.3% each).
    case realistic
}

/// A deterministic population of synthetic customers, generated on the fly.
///
/// `person(i)` depends only on `(seed, i)`, so a million persons need no memory. Persons come in
/// pairs (`2k`, `2k+1`); about 4 % of pairs are households (same family name and address) and
/// about 1 % twins (same family name, birth date and address), each with different given names.
public struct SamplePopulation: Sendable {
    /// Number of persons.
    public let count: Int
    /// The seed everything derives from.
    public let seed: UInt64
    /// How given and family names are drawn.
    public let nameFrequencies: SampleNameFrequencies

    /// Share of pairs that are households.
    public static let householdRate = 0.04
    /// Share of pairs that are twins.
    public static let twinRate = 0.01

    /// CSV header written by ``writeCSV(unit:coverage:noise:to:limit:)``: `id` plus 10 attributes.
    public static let csvHeader: [String] = [
        "id", "given_name", "family_name", "birth_date", "email", "phone", "street", "city", "postcode", "country",
        "segment",
    ]
    /// The attribute names (``csvHeader`` without `id`), the order of ``SampleRecord/values``.
    public static let attributeNames: [String] = Array(csvHeader.dropFirst())

    /// Creates a population.
    /// - Parameters:
    ///   - persons: number of persons.
    ///   - seed: seed; the same seed gives the same persons and records.
    ///   - nameFrequencies: how names are drawn (default `.uniform`, as before this option existed).
    public init(persons: Int, seed: UInt64, nameFrequencies: SampleNameFrequencies = .uniform) {
        count = persons
        self.seed = seed
        self.nameFrequencies = nameFrequencies
    }

    func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        SeededGenerator.mix(seed ^ SeededGenerator.mix(a &* 0x9E37_79B9_7F4A_7C15 ^ b))
    }

    /// The relation of person `index` to the other person of its pair.
    func relation(_ index: Int) -> SampleRelation {
        let partner = index ^ 1
        guard partner < count else { return .single }
        var rng = SeededGenerator(seed: hash(UInt64(index / 2), 1))
        let roll = rng.unit()
        if roll < Self.householdRate { return .household(partner: partner) }
        if roll < Self.householdRate + Self.twinRate { return .twin(sibling: partner) }
        return .single
    }

    /// The first draws of a person's own generator: given name index and birth date parts.
    func ownDraws(_ index: Int) -> (rng: SeededGenerator, given: Int, birth: (Int, Int, Int)) {
        var rng = SeededGenerator(seed: hash(UInt64(index), 2))
        let given = nameFrequencies == .uniform ? rng.below(SampleNames.given.count) : SampleNames.drawGiven(&rng)
        let birth = Self.birthDate(&rng)
        return (rng, given, birth)
    }

    static func birthDate(_ rng: inout SeededGenerator) -> (Int, Int, Int) {
        let year = 1940 + rng.below(67)
        let month = 1 + rng.below(12)
        let days: Int
        switch month {
        case 2: days = year % 4 == 0 ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return (year, month, 1 + rng.below(days))
    }

    static func format(_ date: (Int, Int, Int)) -> String {
        let (y, m, d) = date
        let bytes: [UInt8] = [
            UInt8(0x30 + y / 1000), UInt8(0x30 + y / 100 % 10), UInt8(0x30 + y / 10 % 10), UInt8(0x30 + y % 10), 0x2D,
            UInt8(0x30 + m / 10), UInt8(0x30 + m % 10), 0x2D, UInt8(0x30 + d / 10), UInt8(0x30 + d % 10),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A random address: street with house number, city, postcode.
    static func address(_ rng: inout SeededGenerator) -> (street: String, city: String, postcode: String) {
        let street = SamplePlaces.streets[rng.below(SamplePlaces.streets.count)]
        var number = String(1 + rng.below(rng.chance(0.7) ? 60 : 250))
        if rng.chance(0.08) { number += ["a", "b", "c"][rng.below(3)] }
        let place = SamplePlaces.cities[rng.below(SamplePlaces.cities.count)]
        return (street + " " + number, place.city, place.postcode)
    }

    func familyName(_ rng: inout SeededGenerator) -> Int {
        nameFrequencies == .uniform ? rng.below(SampleNames.family.count) : SampleNames.drawFamily(&rng)
    }

    /// Person `index`, generated from `(seed, index)` alone.
    /// - Parameter index: 0..<count.
    public func person(_ index: Int) -> SamplePerson {
        precondition(index >= 0 && index < count, "person index out of range")
        let relation = relation(index)
        var (rng, givenIndex, birth) = ownDraws(index)
        var familyIndex = familyName(&rng)
        var secondFamily = rng.chance(0.03) ? familyName(&rng) : -1
        var address = Self.address(&rng)
        if relation != .single {
            // Shared parts come from the pair's generator.
            var pair = SeededGenerator(seed: hash(UInt64(index / 2), 3))
            familyIndex = familyName(&pair)
            secondFamily = pair.chance(0.03) ? familyName(&pair) : -1
            address = Self.address(&pair)
            let partner = ownDraws(index ^ 1)
            if case .twin = relation {
                birth = Self.birthDate(&pair)
            } else if index & 1 == 1, birth == partner.birth {
                birth.2 = birth.2 == 1 ? 2 : birth.2 - 1
            }
            if index & 1 == 1, givenIndex == partner.given {
                givenIndex = (givenIndex + 1 + rng.below(SampleNames.given.count - 1)) % SampleNames.given.count
            }
        }
        var family = SampleNames.family[familyIndex]
        var familyASCII = SampleTransliteration.family[familyIndex]
        if secondFamily >= 0, secondFamily != familyIndex, !family.contains(" "),
            !SampleNames.family[secondFamily].contains(" ")
        {
            family += "-" + SampleNames.family[secondFamily]
            familyASCII += "-" + SampleTransliteration.family[secondFamily]
        }
        var email = Self.email(
            given: SampleTransliteration.given[givenIndex], family: familyASCII, year: birth.0, rng: &rng)
        if nameFrequencies == .realistic { email = personal(email, index: index) }
        let prefix = SamplePlaces.mobilePrefixes[rng.below(SamplePlaces.mobilePrefixes.count)]
        var phoneBytes: [UInt8] = Array("+49".utf8) + Array(prefix.prefix.utf8)
        phoneBytes.append(UInt8(0x31 + rng.below(9)))
        for _ in 1..<prefix.digits { phoneBytes.append(UInt8(0x30 + rng.below(10))) }
        let phone = String(decoding: phoneBytes, as: UTF8.self)
        return SamplePerson(
            personId: index, givenName: SampleNames.given[givenIndex], familyName: family,
            birthDate: Self.format(birth), email: email, phone: phone, street: address.street, city: address.city,
            postcode: address.postcode, country: "DE", relation: relation)
    }

    /// With realistic name frequencies many persons share a name, and a provider gives an address to
    /// one person only: 95% of addresses get a number after the local part (derived from the person),
    /// so that two persons of the same name rarely get the same address.
    func personal(_ email: String, index: Int) -> String {
        var rng = SeededGenerator(seed: hash(UInt64(index), 4))
        guard rng.chance(0.95), let at = email.firstIndex(of: "@") else { return email }
        return String(email[..<at]) + String(rng.below(1000)) + String(email[at...])
    }

    static func email(given: String, family: String, year: Int, rng: inout SeededGenerator) -> String {
        let domain = SamplePlaces.emailDomains[rng.below(SamplePlaces.emailDomains.count)]
        let local: String
        switch rng.below(8) {
        case 0, 1: local = given + "." + family
        case 2: local = String(given.prefix(1)) + "." + family
        case 3: local = given + family
        case 4: local = family + "." + given
        case 5: local = given + "." + family + String(year % 100 < 10 ? "0" : "") + String(year % 100)
        case 6: local = given + "_" + family
        default: local = given + String(rng.below(90) + 10)
        }
        return local + "@" + domain
    }
}
