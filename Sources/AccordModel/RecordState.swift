/// The registers one author holds on one record, by attribute: the unit of storage. Merging is a
/// pointwise max per attribute, so it is commutative, associative and idempotent.
public struct RecordState: Hashable, Sendable {
    /// Registers by attribute.
    public private(set) var registers: [AttributeName: Register]

    /// An empty state.
    public init() { registers = [:] }

    /// Creates a state from registers.
    public init(registers: [AttributeName: Register]) { self.registers = registers }

    /// Whether no attribute was ever written.
    public var isEmpty: Bool { registers.isEmpty }

    /// Merges one register; returns whether the state changed.
    @discardableResult
    public mutating func merge(_ attribute: AttributeName, _ register: Register) -> Bool {
        if let current = registers[attribute], !register.wins(over: current) { return false }
        registers[attribute] = register
        return true
    }

    /// Merges a record write's changes; returns whether the state changed.
    @discardableResult
    public mutating func merge(_ write: RecordWrite) -> Bool {
        var changed = false
        for change in write.changes where merge(change.attribute, Register(hlc: write.hlc, value: change.value)) {
            changed = true
        }
        return changed
    }

    /// Merges another state; returns whether this state changed.
    @discardableResult
    public mutating func merge(_ other: RecordState) -> Bool {
        var changed = false
        for (attribute, register) in other.registers where merge(attribute, register) { changed = true }
        return changed
    }

    /// The registers sorted by attribute name (the canonical order).
    public var sortedRegisters: [(attribute: AttributeName, register: Register)] {
        registers.sorted { $0.key < $1.key }.map { (attribute: $0.key, register: $0.value) }
    }
}

/// A whole replica's entries in memory: every record state by `(record, author)`. Used by property
/// tests and small tools; the store keeps the same shape in SQLite.
public struct EntryState: Hashable, Sendable {
    /// Record states by record and author.
    public private(set) var records: [RecordKey: [UnitID: RecordState]] = [:]

    /// An empty replica.
    public init() {}

    /// Merges one entry; returns whether the state changed.
    @discardableResult
    public mutating func merge(_ entry: Entry) -> Bool {
        records[entry.key.record, default: [:]][entry.key.author, default: RecordState()]
            .merge(entry.key.attribute, entry.register)
    }

    /// Merges a record write by `author`; returns whether the state changed.
    @discardableResult
    public mutating func merge(_ write: RecordWrite, author: UnitID) -> Bool {
        records[write.record, default: [:]][author, default: RecordState()].merge(write)
    }

    /// Merges another replica; returns whether this one changed.
    @discardableResult
    public mutating func merge(_ other: EntryState) -> Bool {
        var changed = false
        for (record, byAuthor) in other.records {
            for (author, state) in byAuthor where records[record, default: [:]][author, default: RecordState()].merge(state) {
                changed = true
            }
        }
        return changed
    }

    /// Every entry, in key order.
    public var entries: [Entry] {
        var result: [Entry] = []
        for (record, byAuthor) in records {
            for (author, state) in byAuthor {
                for (attribute, register) in state.registers {
                    result.append(Entry(key: EntryKey(record: record, attribute: attribute, author: author), register: register))
                }
            }
        }
        return result.sorted { $0.key < $1.key }
    }
}
