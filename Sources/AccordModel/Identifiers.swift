/// The identifier of a business unit, such as `retail`: lower-case ASCII letters, digits, `_` and `-`,
/// starting with a letter, at most 63 bytes.
public struct UnitID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier text.
    public let rawValue: String

    /// Validates and wraps an identifier.
    /// - Throws: ``ModelError`` with code `.invalidIdentifier` when the syntax is wrong.
    public init(_ rawValue: String) throws {
        guard Identifier.isValidName(rawValue) else {
            throw ModelError(.invalidIdentifier, "unit id must match [a-z][a-z0-9_-]{0,62}")
        }
        self.rawValue = rawValue
    }

    /// Wraps an identifier already known to be valid (read back from our own store).
    public init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// The identifier text.
    public var description: String { rawValue }
    /// Byte-wise order of the identifier text.
    public static func < (lhs: UnitID, rhs: UnitID) -> Bool { Identifier.less(lhs.rawValue, rhs.rawValue) }
}

/// The name of an attribute in the policy's catalog (`email`), or a derived name for consent
/// (`consent:email:marketing:unit=retail`) and interaction events (`interaction:<event id>`).
public struct AttributeName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name text.
    public let rawValue: String

    /// Validates and wraps a name: 1 to 255 bytes of printable ASCII without spaces.
    /// - Throws: ``ModelError`` with code `.invalidIdentifier`.
    public init(_ rawValue: String) throws {
        guard Identifier.isValidToken(rawValue, maxBytes: 255) else {
            throw ModelError(.invalidIdentifier, "attribute name must be 1-255 bytes of printable ASCII without spaces")
        }
        self.rawValue = rawValue
    }

    /// Wraps a name already known to be valid.
    public init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// The name text.
    public var description: String { rawValue }
    /// Byte-wise order of the name text.
    public static func < (lhs: AttributeName, rhs: AttributeName) -> Bool {
        Identifier.less(lhs.rawValue, rhs.rawValue)
    }
}

/// One unit's record of a customer: the unit that holds it (its owner) and the unit's own id for it.
public struct RecordKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The unit that owns the record.
    public let unit: UnitID
    /// The owner's identifier for the customer: 1 to 128 bytes of UTF-8 without control characters.
    public let localId: String

    /// Validates and creates a record key.
    /// - Throws: ``ModelError`` with code `.invalidIdentifier` when the local id is empty, too long or has control characters.
    public init(unit: UnitID, localId: String) throws {
        guard Identifier.isValidLocalId(localId) else {
            throw ModelError(.invalidIdentifier, "local id must be 1-128 bytes without control characters")
        }
        self.unit = unit
        self.localId = localId
    }

    /// Creates a key from parts already known to be valid.
    public init(unchecked unit: UnitID, localId: String) {
        self.unit = unit
        self.localId = localId
    }

    /// Parses the ``description`` form `unit/localId` (the first `/` ends the unit); `nil` when
    /// either part is not valid.
    public init?(described text: String) {
        guard let slash = text.firstIndex(of: "/"), let unit = try? UnitID(String(text[..<slash])),
              let key = try? RecordKey(unit: unit, localId: String(text[text.index(after: slash)...])) else { return nil }
        self = key
    }

    /// `unit/localId`.
    public var description: String { "\(unit.rawValue)/\(localId)" }
    /// Byte-wise equality, consistent with `<`: local ids that differ only in Unicode
    /// normalization are different records, as they are in the encoding and the store.
    public static func == (lhs: RecordKey, rhs: RecordKey) -> Bool {
        lhs.unit == rhs.unit && lhs.localId.utf8.elementsEqual(rhs.localId.utf8)
    }

    /// Orders by unit, then by local id, byte-wise.
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        if lhs.unit != rhs.unit { return lhs.unit < rhs.unit }
        return Identifier.less(lhs.localId, rhs.localId)
    }
}

/// Syntax checks shared by the identifier types.
enum Identifier {
    static func isValidName(_ text: String) -> Bool {
        var count = 0
        for byte in text.utf8 {
            count += 1
            let isLower = byte >= 0x61 && byte <= 0x7A
            let isDigit = byte >= 0x30 && byte <= 0x39
            if count == 1 { guard isLower else { return false } }
            guard isLower || isDigit || byte == 0x5F || byte == 0x2D else { return false }
        }
        return count >= 1 && count <= 63
    }

    static func isValidToken(_ text: String, maxBytes: Int) -> Bool {
        var count = 0
        for byte in text.utf8 {
            count += 1
            guard byte > 0x20 && byte < 0x7F else { return false }
        }
        return count >= 1 && count <= maxBytes
    }

    static func isValidLocalId(_ text: String) -> Bool {
        let count = text.utf8.count
        guard count >= 1 && count <= 128 else { return false }
        return !text.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }
    }

    /// Byte-wise (UTF-8) comparison, the canonical order everywhere in Accord.
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
