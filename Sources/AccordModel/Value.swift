/// The content of a register.
public enum Value: Hashable, Sendable {
    /// A scalar such as a name or a birth date.
    case text(String)
    /// A multi-valued attribute (emails, phones): the whole set, sorted byte-wise, no duplicates.
    case set([String])
    /// A consent decision.
    indirect case consent(ConsentDecision)
    /// An interaction event.
    indirect case interaction(InteractionEvent)
    /// An erasure request (``ErasureRequest``).
    indirect case erasureRequest(ErasureRequest)
    /// A node's acknowledgement of an erasure request (``ErasureAcknowledgement``).
    indirect case erasureAcknowledgement(ErasureAcknowledgement)

    /// Makes a set value: sorts byte-wise and removes byte-wise duplicates (strings that differ
    /// only in Unicode normalization are distinct items, as they are in the encoding).
    public static func makeSet(_ items: some Sequence<String>) -> Value {
        let sorted = items.sorted { Identifier.less($0, $1) }
        var unique: [String] = []
        unique.reserveCapacity(sorted.count)
        for item in sorted where !(unique.last.map { $0.utf8.elementsEqual(item.utf8) } ?? false) {
            unique.append(item)
        }
        return .set(unique)
    }

    /// Byte-wise equality: two values are equal when their canonical encodings are. (Swift's
    /// `String ==` treats canonically equivalent strings, such as a precomposed and a decomposed
    /// "é", as equal although they encode differently.)
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.text(let left), .text(let right)):
            return left.utf8.elementsEqual(right.utf8)
        case (.set(let left), .set(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
        case (.consent, .consent), (.interaction, .interaction), (.erasureRequest, .erasureRequest),
             (.erasureAcknowledgement, .erasureAcknowledgement):
            return Register.canonicalBytes(lhs) == Register.canonicalBytes(rhs)
        default:
            return false
        }
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
        // Equal bytes: neither wins. Compared as bytes, not with `==` on strings, so every replica
        // keeps the very same bytes.
        return other.canonicalValueBytes.lexicographicallyPrecedes(canonicalValueBytes)
    }

    /// The canonical encoding of the value alone, used to break ties.
    var canonicalValueBytes: [UInt8] { Register.canonicalBytes(value) }

    /// The canonical encoding of a value, or of a deletion for `nil`.
    static func canonicalBytes(_ value: Value?) -> [UInt8] {
        var writer = BinaryWriter(capacity: 32)
        EntryCodec.writeValue(value, to: &writer)
        return writer.bytes
    }

    /// The merge of two registers: the winner.
    public func merged(with other: Register) -> Register { other.wins(over: self) ? other : self }
}
