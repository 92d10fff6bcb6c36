/// Blocks: records by blocking-key hash. Two records are a candidate pair exactly when they share a
/// block of at most `cap` records; a larger block makes no pairs at all. That is a function of the
/// current set of records only, so adding records one by one and loading them at once give the
/// same candidates.
struct BlockIndex: Sendable {
    /// A block's members; the common sizes stored inline.
    enum Members: Sendable {
        case one(Int32)
        case two(Int32, Int32)
        case many([Int32])

        var count: Int {
            switch self {
            case .one: return 1
            case .two: return 2
            case .many(let slots): return slots.count
            }
        }

        var slots: [Int32] {
            switch self {
            case .one(let a): return [a]
            case .two(let a, let b): return [a, b]
            case .many(let slots): return slots
            }
        }
    }

    let cap: Int
    private(set) var blocks: [UInt64: Members] = [:]

    init(cap: Int) { self.cap = cap }

    /// Number of non-empty blocks.
    var count: Int { blocks.count }

    /// Reserves room for `n` blocks.
    mutating func reserve(_ n: Int) { blocks.reserveCapacity(n) }

    /// The size of a block (0 if none).
    func size(_ key: UInt64) -> Int { blocks[key]?.count ?? 0 }

    /// A block's members.
    func members(_ key: UInt64) -> [Int32] { blocks[key]?.slots ?? [] }

    /// Whether a block makes pairs: 2 ... cap members.
    func isEligible(_ key: UInt64) -> Bool {
        let n = size(key)
        return n >= 2 && n <= cap
    }

    /// Adds a slot to a block; returns the block's new size.
    @discardableResult
    mutating func insert(_ key: UInt64, _ slot: Int32) -> Int {
        switch blocks[key] {
        case nil: blocks[key] = .one(slot); return 1
        case .one(let a): blocks[key] = .two(a, slot); return 2
        case .two(let a, let b): blocks[key] = .many([a, b, slot]); return 3
        case .many(var slots):
            blocks[key] = .one(0)  // release the array so the append does not copy it
            slots.append(slot)
            blocks[key] = .many(slots)
            return slots.count
        }
    }

    /// Removes a slot from a block; returns the block's new size.
    @discardableResult
    mutating func remove(_ key: UInt64, _ slot: Int32) -> Int {
        switch blocks[key] {
        case nil: return 0
        case .one: blocks[key] = nil; return 0
        case .two(let a, let b): blocks[key] = .one(a == slot ? b : a); return 1
        case .many(var slots):
            blocks[key] = .one(0)
            if let index = slots.firstIndex(of: slot) { slots.remove(at: index) }
            blocks[key] = slots.count == 2 ? .two(slots[0], slots[1]) : .many(slots)
            return slots.count
        }
    }
}

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
