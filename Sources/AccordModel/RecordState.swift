/// One attribute's register inside a ``RecordState``.
public struct AttributeRegister: Hashable, Sendable {
    /// The attribute.
    public var attribute: AttributeName
    /// Its register.
    public var register: Register

    /// Creates a pair.
    public init(attribute: AttributeName, register: Register) {
        self.attribute = attribute
        self.register = register
    }
}

/// The registers one author holds on one record, by attribute: the unit of storage. Merging is a
/// pointwise max per attribute, so it is commutative, associative and idempotent.
///
/// Kept as an array sorted by attribute name (the canonical order): a record has a handful of
/// attributes, so a sorted array is smaller and faster than a dictionary, and it encodes without
/// sorting.
public struct RecordState: Hashable, Sendable {
    /// The registers, sorted by attribute name, one per attribute.
    public private(set) var entries: [AttributeRegister]

    /// An empty state.
    public init() { entries = [] }

    /// Creates a state from registers by attribute.
    public init(registers: [AttributeName: Register]) {
        entries = registers.map { AttributeRegister(attribute: $0.key, register: $0.value) }.sorted { $0.attribute < $1.attribute }
    }

    /// Creates a state from entries already sorted by attribute and unique (the decoder checks that).
    init(sortedEntries: [AttributeRegister]) { entries = sortedEntries }

    /// Registers by attribute.
    public var registers: [AttributeName: Register] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.attribute, $0.register) })
    }

    /// Whether no attribute was ever written.
    public var isEmpty: Bool { entries.isEmpty }

    /// The register of one attribute, if written.
    public func register(_ attribute: AttributeName) -> Register? {
        let index = position(of: attribute)
        return index < entries.count && entries[index].attribute == attribute ? entries[index].register : nil
    }

    /// The index of `attribute`, or where it would be inserted.
    private func position(of attribute: AttributeName) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].attribute < attribute { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Merges one register; returns whether the state changed.
    @discardableResult
    public mutating func merge(_ attribute: AttributeName, _ register: Register) -> Bool {
        let index = position(of: attribute)
        if index < entries.count && entries[index].attribute == attribute {
            guard register.wins(over: entries[index].register) else { return false }
            entries[index].register = register
        } else {
            entries.insert(AttributeRegister(attribute: attribute, register: register), at: index)
        }
        return true
    }

    /// Merges a record write's changes; returns whether the state changed.
    @discardableResult
    public mutating func merge(_ write: RecordWrite) -> Bool {
        if entries.isEmpty {
            entries = write.changes.map { AttributeRegister(attribute: $0.attribute, register: Register(hlc: write.hlc, value: $0.value)) }
            return !entries.isEmpty
        }
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
        for entry in other.entries where merge(entry.attribute, entry.register) { changed = true }
        return changed
    }

    /// The registers sorted by attribute name (the canonical order).
    public var sortedRegisters: [(attribute: AttributeName, register: Register)] {
        entries.map { (attribute: $0.attribute, register: $0.register) }
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
