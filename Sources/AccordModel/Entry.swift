/// The key of an entry: which record, which attribute, which author. Every entry has exactly one
/// author, so no two units ever write the same register.
public struct EntryKey: Hashable, Comparable, Sendable {
    /// The record the entry is about.
    public var record: RecordKey
    /// The attribute it holds.
    public var attribute: AttributeName
    /// The unit that wrote it.
    public var author: UnitID

    /// Creates a key.
    public init(record: RecordKey, attribute: AttributeName, author: UnitID) {
        self.record = record
        self.attribute = attribute
        self.author = author
    }

    /// Orders by record, attribute, then author.
    public static func < (lhs: EntryKey, rhs: EntryKey) -> Bool {
        if lhs.record != rhs.record { return lhs.record < rhs.record }
        if lhs.attribute != rhs.attribute { return lhs.attribute < rhs.attribute }
        return lhs.author < rhs.author
    }
}

/// One replicated fact: an LWW register under its key.
public struct Entry: Hashable, Sendable {
    /// Which register.
    public var key: EntryKey
    /// Its clock reading and value.
    public var register: Register

    /// Creates an entry.
    public init(key: EntryKey, register: Register) {
        self.key = key
        self.register = register
    }
}

/// What one author wrote on one record at one clock reading, in one share class: the content of
/// one batch leaf. The author is the batch's author and is not repeated here.
public struct RecordWrite: Hashable, Sendable {
    /// The record written.
    public var record: RecordKey
    /// The clock reading of the write.
    public var hlc: HLC
    /// The attributes written, sorted by name, unique; `nil` deletes the attribute.
    public private(set) var changes: [(attribute: AttributeName, value: Value?)]

    /// Creates a write; changes are sorted by attribute and must not repeat an attribute.
    /// - Throws: ``ModelError`` `.malformed` when an attribute repeats or there is no change.
    public init(record: RecordKey, hlc: HLC, changes: [(attribute: AttributeName, value: Value?)]) throws {
        var isSorted = true
        for index in changes.indices.dropFirst() where !(changes[index - 1].attribute < changes[index].attribute) {
            isSorted = false
            break
        }
        let sorted = isSorted ? changes : changes.sorted { $0.attribute < $1.attribute }
        for index in sorted.indices.dropFirst() where sorted[index - 1].attribute == sorted[index].attribute {
            throw ModelError(.malformed, "attribute \(sorted[index].attribute) is written twice in one record write")
        }
        guard !sorted.isEmpty else { throw ModelError(.malformed, "a record write needs at least one attribute") }
        self.record = record
        self.hlc = hlc
        self.changes = sorted
    }

    /// Creates a write from changes already sorted and unique (the decoder checks that).
    init(record: RecordKey, hlc: HLC, sortedChanges: [(attribute: AttributeName, value: Value?)]) {
        self.record = record
        self.hlc = hlc
        self.changes = sortedChanges
    }

    /// The entries this write makes when authored by `author`.
    public func entries(author: UnitID) -> [Entry] {
        changes.map {
            Entry(key: EntryKey(record: record, attribute: $0.attribute, author: author),
                  register: Register(hlc: hlc, value: $0.value))
        }
    }

    /// Field-wise equality.
    public static func == (lhs: RecordWrite, rhs: RecordWrite) -> Bool {
        lhs.record == rhs.record && lhs.hlc == rhs.hlc
            && lhs.changes.elementsEqual(rhs.changes) { $0.attribute == $1.attribute && $0.value == $1.value }
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(record)
        hasher.combine(hlc)
        for change in changes {
            hasher.combine(change.attribute)
            hasher.combine(change.value)
        }
    }
}
