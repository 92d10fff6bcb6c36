/// The content of a register.
public enum Value: Hashable, Sendable {
    /// A scalar such as a name or a birth date.
    case text(String)
    /// A multi-valued attribute (emails, phones): the whole set, sorted byte-wise, no duplicates.
    case set([String])
    /// A consent decision.
    case consent(ConsentDecision)
    /// An interaction event.
    case interaction(InteractionEvent)

    /// Makes a set value: sorts byte-wise and removes duplicates.
    public static func makeSet(_ items: some Sequence<String>) -> Value {
        var sorted = Array(Set(items))
        sorted.sort { Identifier.less($0, $1) }
        return .set(sorted)
    }
}

/// An LWW register: the clock reading of the last write and its value, or `nil` for a deletion.
public struct Register: Hashable, Sendable {
    /// When the value was written.
    public var hlc: HLC
    /// The value, or `nil` when the entry was deleted.
    public var value: Value?

    /// Creates a register.
    public init(hlc: HLC, value: Value?) {
        self.hlc = hlc
        self.value = value
    }

    /// Whether this register wins over `other` in a merge: the greater clock reading wins; equal
    /// readings (possible only from a faulty author) are ordered by the canonical value bytes, so
    /// every replica picks the same one.
    public func wins(over other: Register) -> Bool {
        if hlc != other.hlc { return hlc > other.hlc }
        if value == other.value { return false }
        return other.canonicalValueBytes.lexicographicallyPrecedes(canonicalValueBytes)
    }

    /// The canonical encoding of the value alone, used to break ties.
    var canonicalValueBytes: [UInt8] {
        var writer = BinaryWriter(capacity: 32)
        EntryCodec.writeValue(value, to: &writer)
        return writer.bytes
    }

    /// The merge of two registers: the winner.
    public func merged(with other: Register) -> Register { other.wins(over: self) ? other : self }
}
