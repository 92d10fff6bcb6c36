/// One unit's corrupted copy of a person.
extension SampleSpread {
    /// Short forms people use for some of the sample given names. Deliberately not the matcher's
    /// table: a few (Wolle, Tino, Nici) are ones a matcher is unlikely to know.
    static let nicknames: [String: [String]] = [
        "Katharina": ["Kathi", "Käthe", "Katja"], "Elisabeth": ["Lisa", "Liesel", "Elli"], "Margarete": ["Grete", "Gretel"],
        "Barbara": ["Bärbel", "Babsi"], "Magdalena": ["Magda"], "Wilhelm": ["Willi", "Willy"], "Friedrich": ["Fritz"],
        "Johann": ["Hans"], "Maximilian": ["Max"], "Sebastian": ["Basti"], "Alexander": ["Alex", "Sascha"],
        "Christian": ["Chris"], "Michael": ["Michi", "Micha"], "Thomas": ["Tom"], "Andreas": ["Andi"], "Matthias": ["Matze"],
        "Tobias": ["Tobi"], "Daniel": ["Dani"], "Florian": ["Flo"], "Dominik": ["Domi"], "Benedikt": ["Bene"],
        "Konstantin": ["Konsti"], "Leopold": ["Poldi"], "Ludwig": ["Lutz"], "Franziska": ["Franzi"], "Theresa": ["Resi"],
        "Veronika": ["Vroni"], "Gabriele": ["Gabi"], "Stefanie": ["Steffi"], "Angelika": ["Geli"], "Monika": ["Moni"],
        "Ursula": ["Uschi"], "Brigitte": ["Gitte"], "Susanne": ["Susi"], "Christine": ["Tina"], "Johanna": ["Hanne"],
        "Charlotte": ["Lotte"], "Robert": ["Rob", "Bob"], "Patrick": ["Paddy"], "Manfred": ["Manni"], "Gerhard": ["Gerd"],
        "Jakob": ["Jockel"], "Wolfgang": ["Wolfi", "Wolle"], "Martin": ["Tino"], "Nicole": ["Nici"], "Sandra": ["Sandy"],
    ]

    static func record(person index: Int, population: SamplePopulation, unit: Unit, unitHash: UInt64, localId: String) -> SampleRecord {
        let p = population.person(index)
        let c = unit.corruption
        var rng = SeededGenerator(seed: population.hash(UInt64(index), unitHash ^ 0xC022_4F7E))
        var given = p.givenName, family = p.familyName, birth = p.birthDate, email = p.email, phone = p.phone
        var street = p.street, city = p.city, postcode = p.postcode

        if rng.chance(c.nickname), let forms = nicknames[given] { given = forms[rng.below(forms.count)] }
        if rng.chance(c.givenTypo) { given = SampleNoise.typo(given, &rng) }
        if rng.chance(c.familyChanged) { family = SampleNames.family[population.familyName(&rng)] }
        if rng.chance(c.familyTypo) { family = SampleNoise.typo(family, &rng) }
        if rng.chance(c.transliterated) {
            let writesE = rng.chance(0.6)
            (given, family) = (transliterate(given, writesE), transliterate(family, writesE))
            (street, city) = (transliterate(street, writesE), transliterate(city, writesE))
        }
        if rng.chance(c.swappedNames) { (given, family) = (family, given) }

        if rng.chance(c.emailReplaced) {
            email = population.personal(
                SamplePopulation.email(
                    given: SampleTransliteration.ascii(p.givenName), family: SampleTransliteration.ascii(p.familyName),
                    year: Int(p.birthDate.prefix(4)) ?? 1980, rng: &rng),
                index: index ^ 0x4000_0000)
        }
        if rng.chance(c.emailDomainChanged), let at = email.firstIndex(of: "@") {
            let domains = SamplePlaces.emailDomains
            let old = String(email[email.index(after: at)...])
            var domain = domains[rng.below(domains.count)]
            if domain == old { domain = domains[(domains.firstIndex(of: domain)! + 1) % domains.count] }
            email = String(email[..<at]) + "@" + domain
        }
        if rng.chance(c.phoneReplaced) { phone = mobile(&rng) }
        if case .household = p.relation, rng.chance(c.householdSharedContact) {
            var shared = SeededGenerator(seed: population.hash(UInt64(index / 2), 0x5AED))
            if shared.chance(0.5) {
                let domain = SamplePlaces.emailDomains[shared.below(SamplePlaces.emailDomains.count)]
                email = "familie." + SampleTransliteration.ascii(p.familyName) + String(shared.below(100)) + "@" + domain
            } else {
                var landline = "+49" + ["30", "40", "89", "221", "69", "711", "211", "341"][shared.below(8)]
                for _ in 0..<7 { landline += String(shared.below(10)) }
                phone = landline
            }
        }
        if rng.chance(c.moved) { (street, city, postcode) = SamplePopulation.address(&rng) }
        if rng.chance(c.streetAbbreviated) { street = abbreviate(street, &rng) }
        if postcode.hasPrefix("0"), rng.chance(c.postcodeZeroDropped) { postcode.removeFirst() }
        if rng.chance(c.birthTypo) { birth = mistype(birth, &rng) }

        if rng.chance(c.phoneFormatted) { phone = SampleNoise.nationalPhone(phone, &rng) }
        if rng.chance(c.dateFormatted) { birth = SampleNoise.noisyDate(birth, &rng) }
        if rng.chance(c.caseAndSpacing) {
            switch rng.below(3) {
            case 0: family = family.uppercased()
            case 1: email = SampleNoise.noisyEmail(email, &rng)
            default: given = SampleNoise.padded(given, &rng)
            }
        }
        if rng.chance(c.missingBirthDate) { birth = "" }
        if rng.chance(c.missingEmail) { email = "" }
        if rng.chance(c.missingPhone) { phone = "" }
        if rng.chance(c.missingAddress) { (street, city, postcode) = ("", "", "") }
        let segmentRoll = rng.below(10)
        let segment = segmentRoll < 7 ? "standard" : (segmentRoll < 9 ? "premium" : "business")
        return SampleRecord(
            unit: unit.name, localId: localId, personId: index,
            values: [given, family, birth, email, phone, street, city, postcode, p.country, segment])
    }

    /// A German mobile number in E.164.
    static func mobile(_ rng: inout SeededGenerator) -> String {
        let prefix = SamplePlaces.mobilePrefixes[rng.below(SamplePlaces.mobilePrefixes.count)]
        var phone = "+49" + prefix.prefix + String(1 + rng.below(9))
        for _ in 1..<prefix.digits { phone += String(rng.below(10)) }
        return phone
    }

    /// Umlauts and accents as an ASCII-only system writes them: `ä` → `ae` (or `a` when `writesE` is
    /// false), `ß` → `ss`, `é` → `e`, keeping capitals.
    static func transliterate(_ text: String, _ writesE: Bool) -> String {
        var out = ""
        for character in text {
            let lower = Character(character.lowercased())
            guard !character.isASCII, var replacement = SampleTransliteration.table[lower] else {
                out.append(character)
                continue
            }
            if !writesE, ["ä", "ö", "ü"].contains(lower) { replacement = String(replacement.prefix(1)) }
            out += character.isUppercase ? replacement.prefix(1).uppercased() + replacement.dropFirst() : replacement
        }
        return out
    }

    /// `Hauptstraße 12` as `Hauptstr. 12`, `Hauptstrasse 12` or `Hauptstr 12`; `Neue Straße` as `Neue Str.`.
    static func abbreviate(_ street: String, _ rng: inout SeededGenerator) -> String {
        let form = ["str.", "strasse", "str"][rng.below(3)]
        return street.replacing("straße", with: form).replacing("Straße", with: form.prefix(1).uppercased() + form.dropFirst())
    }

    /// A birth date `YYYY-MM-DD` with day and month swapped (when that is a date) or one digit of the day changed.
    static func mistype(_ date: String, _ rng: inout SeededGenerator) -> String {
        let parts = date.split(separator: "-").map(String.init)
        guard parts.count == 3, let day = Int(parts[2]), let month = Int(parts[1]) else { return date }
        if day <= 12, day != month, rng.chance(0.5) { return parts[0] + "-" + parts[2] + "-" + parts[1] }
        var other = day
        while other == day { other = (day / 10) * 10 + rng.below(10) }
        other = max(1, min(28, other))
        if other == day { other = day == 1 ? 2 : day - 1 }
        return parts[0] + "-" + parts[1] + "-" + (other < 10 ? "0" : "") + String(other)
    }
}
