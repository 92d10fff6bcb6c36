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
