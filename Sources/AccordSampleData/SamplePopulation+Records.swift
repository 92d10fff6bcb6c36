extension SamplePopulation {
    /// FNV-1a hash of a unit name.
    static func unitHash(_ unit: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in unit.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// The records unit `unit` holds.
    ///
    /// The unit sees a deterministic subset of persons (each with probability `coverage`,
    /// independently per unit, so units overlap), with unit-specific local ids (`R-000123`:
    /// the unit's initial, a unit-specific offset plus a counter). With probability `noise` a record
    /// gets one or two kinds of realistic source noise: national or differently formatted phone
    /// numbers, upper-case or padded e-mails, dates such as `07.03.1984`, a one-letter typo in a
    /// name, a missing field, a moved address, extra whitespace, country spelled out, a second
    /// e-mail or phone, segment in other case. All of it is fixable by the normalizers
    /// (with `defaultCountry: "DE"`, `dateOrder: .dayFirst`).
    /// - Parameters:
    ///   - unit: the unit name.
    ///   - coverage: share of persons the unit holds, 0...1.
    ///   - noise: share of records with noise, 0...1.
    public func records(unit: String, coverage: Double, noise: Double) -> some Sequence<SampleRecord> {
        let unitHash = Self.unitHash(unit)
        let initial = unit.unicodeScalars.first.flatMap { $0.isASCII && $0.properties.isAlphabetic ? String($0).uppercased() : nil } ?? "U"
        let offset = Int(unitHash % 50) * 1000
        var index = 0
        var ordinal = 0
        return AnyIterator<SampleRecord> {
            while index < count {
                let personIndex = index
                index += 1
                var pick = SeededGenerator(seed: hash(UInt64(personIndex), unitHash))
                guard pick.unit() < coverage else { continue }
                ordinal += 1
                let number = String(offset + ordinal)
                let localId = initial + "-" + String(repeating: "0", count: max(0, 6 - number.utf8.count)) + number
                return record(person: personIndex, unit: unit, unitHash: unitHash, localId: localId, noise: noise)
            }
            return nil
        }.lazy
    }

    /// One unit's record of one person.
    func record(person index: Int, unit: String, unitHash: UInt64, localId: String, noise: Double) -> SampleRecord {
        let p = person(index)
        var rng = SeededGenerator(seed: hash(UInt64(index), unitHash ^ 0x5EED))
        let segmentRoll = rng.below(10)
        var segment = segmentRoll < 7 ? "standard" : (segmentRoll < 9 ? "premium" : "business")
        var values = [p.givenName, p.familyName, p.birthDate, p.email, p.phone, p.street, p.city, p.postcode, p.country, ""]
        if rng.chance(noise) {
            let kinds = rng.chance(0.3) ? 2 : 1
            for _ in 0..<kinds { SampleNoise.apply(rng.below(SampleNoise.kinds), to: &values, segment: &segment, rng: &rng) }
        }
        values[9] = segment
        return SampleRecord(unit: unit, localId: localId, personId: index, values: values)
    }
}
