import AccordConsolidation
import AccordModel
import AccordSampleData

/// A record key `unit/localId`.
func key(_ unit: String, _ id: String) -> RecordKey { RecordKey(unchecked: UnitID(unchecked: unit), localId: id) }

/// A record with the sample policy's attribute names.
func person(
    _ unit: String, _ id: String, created: UInt64 = 1, given: String? = nil, family: String? = nil, birth: String? = nil,
    email: String? = nil, phone: String? = nil, street: String? = nil, postcode: String? = nil, city: String? = nil
) -> IdentityRecord {
    var attributes: [AttributeName: [String]] = [:]
    let fields: [(String, String?)] = [
        ("given_name", given), ("family_name", family), ("birth_date", birth), ("email", email), ("phone", phone),
        ("street", street), ("postcode", postcode), ("city", city),
    ]
    for (name, value) in fields { if let value { attributes[AttributeName(unchecked: name)] = [value] } }
    return IdentityRecord(key: key(unit, id), created: HLC(rawValue: created), attributes: attributes)
}

/// Generated records with their true persons, as the benchmark makes them (created clocks from the key).
func sampleRecords(persons: Int, units: Int, seed: UInt64 = 7) -> (records: [IdentityRecord], truth: [RecordKey: Int]) {
    let spread = SampleSpread(persons: persons, seed: seed, units: SampleSpread.standardUnits(units))
    var records: [IdentityRecord] = []
    var truth: [RecordKey: Int] = [:]
    for sample in spread.allRecords() {
        var attributes: [AttributeName: [String]] = [:]
        for (name, value) in zip(SamplePopulation.attributeNames, sample.values) where !value.isEmpty {
            attributes[AttributeName(unchecked: name)] = [value]
        }
        let k = key(sample.unit, sample.localId)
        var created = SeededGenerator.mix(UInt64(sample.personId) &+ 0x51)
        for b in Array(sample.unit.utf8) + Array(sample.localId.utf8) { created = SeededGenerator.mix(created ^ UInt64(b)) }
        records.append(IdentityRecord(key: k, created: HLC(rawValue: created >> 20), attributes: attributes))
        truth[k] = sample.personId
    }
    return (records, truth)
}

/// A deterministic shuffle.
func shuffled<T>(_ values: [T], seed: UInt64) -> [T] {
    var rng = SeededGenerator(seed: seed)
    var result = values
    for i in result.indices.reversed() where i > 0 { result.swapAt(i, rng.below(i + 1)) }
    return result
}

/// The profile sets of a resolver: each profile as its id and sorted record keys.
func snapshot(_ resolver: IdentityResolver) -> [ProfileID: [RecordKey]] {
    Dictionary(uniqueKeysWithValues: resolver.profiles.map { ($0.id, $0.records) })
}

/// Whether two records share a profile.
func together(_ resolver: IdentityResolver, _ a: RecordKey, _ b: RecordKey) -> Bool {
    guard let p = resolver.profile(of: a), let q = resolver.profile(of: b) else { return false }
    return p.id == q.id
}
