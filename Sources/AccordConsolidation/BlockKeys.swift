/// The blocking keys of a prepared record: stable 64-bit hashes of each configured key's value(s),
/// sorted and unique.
enum BlockKeys {
    static func keys(_ record: PreparedRecord, _ space: FeatureSpace, _ rules: BlockingRules) -> [UInt64] {
        var keys: [UInt64] = []
        for key in rules.keys {
            let kind = UInt64(BlockKeys.code(key))
            switch key {
            case .email:
                for id in record.values(.email) { keys.append(StableHash.combine(kind, space.emails.hash(id))) }
            case .phone:
                for id in record.values(.phone) { keys.append(StableHash.combine(kind, space.phones.hash(id))) }
            case .namePhoneticBirthDate:
                for name in record.values(.given) + record.values(.family) {
                    let code = space.nameInfo[Int(name)].phonetic
                    guard code != 0 else { continue }
                    for birth in record.values(.birth) {
                        keys.append(StableHash.combine(StableHash.combine(kind, code), UInt64(UInt32(bitPattern: birth))))
                    }
                }
            case .postcodeBirthDate:
                for postcode in record.values(.postcode) {
                    for birth in record.values(.birth) {
                        keys.append(StableHash.combine(StableHash.combine(kind, space.places.hash(postcode)), UInt64(UInt32(bitPattern: birth))))
                    }
                }
            case .givenInitialFamilyPostcode:
                for given in record.values(.given) {
                    let initial = UInt64(space.nameInfo[Int(given)].initial)
                    for family in record.values(.family) {
                        let h = StableHash.combine(StableHash.combine(kind, initial), space.names.hash(family))
                        for postcode in record.values(.postcode) {
                            keys.append(StableHash.combine(h, space.places.hash(postcode)))
                        }
                    }
                }
            case .emailLocalPart:
                for id in record.values(.emailLocal) where space.locals.length(id) >= 4 {
                    keys.append(StableHash.combine(kind, space.locals.hash(id)))
                }
            case .address:
                for street in record.values(.street) {
                    for postcode in record.values(.postcode) {
                        keys.append(StableHash.combine(StableHash.combine(kind, space.streets.hash(street)), space.places.hash(postcode)))
                    }
                }
            }
        }
        keys.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(keys.count)
        for key in keys where unique.last != key { unique.append(key) }
        return unique
    }

    /// A fixed number per key kind (never reuse one: it is part of every block hash).
    static func code(_ key: BlockingKey) -> Int {
        switch key {
        case .email: return 1
        case .phone: return 2
        case .namePhoneticBirthDate: return 3
        case .postcodeBirthDate: return 4
        case .givenInitialFamilyPostcode: return 5
        case .emailLocalPart: return 6
        case .address: return 7
        }
    }
}
