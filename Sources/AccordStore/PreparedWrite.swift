public import AccordModel
import AccordLedger
import AccordCrypto

/// A pending write made ready for the store, off the writer's thread: its clock reading, its
/// changes sorted, one salted and hashed leaf per share class, and the encoded state the record
/// would have if it is new. The writer then only inserts; it falls back to reading, diffing and
/// merging when the record already exists.
public struct PreparedWrite: Sendable {
    /// The record written.
    public let record: RecordKey
    /// The clock reading of the write.
    public let hlc: HLC
    /// The changes, sorted by attribute, unique, deletions of absent values dropped.
    let changes: [(attribute: AttributeName, value: Value?)]
    /// The share class of each change, in the same order.
    let classes: [String]
    /// One leaf per share class, for a new record.
    let leaves: [(shareClass: String, leaf: Leaf)]
    /// The encoded ``RecordState`` of a new record.
    let freshState: [UInt8]
    /// How many entries a new record gets (changes that are not deletions).
    let freshEntries: Int

    /// Prepares a write.
    /// - Parameters:
    ///   - write: the changes; an attribute may appear once.
    ///   - hlc: the clock reading for the write, from the node's clock.
    ///   - shareClass: the share class of an attribute (from the policy).
    ///   - salts: where leaf salts come from.
    /// - Returns: `nil` when the write has no change left (only deletions of nothing).
    /// - Throws: ``StoreError`` `.malformedLeaf` for an attribute with no share class or written twice.
    public static func prepare(
        _ write: PendingWrite, hlc: HLC, shareClass: (AttributeName) -> String?, salts: inout SaltSource
    ) throws -> PreparedWrite? {
        var changes = write.changes
        if !isSorted(changes) { changes.sort { $0.attribute < $1.attribute } }
        guard !changes.isEmpty else { return nil }
        var classes: [String] = []
        classes.reserveCapacity(changes.count)
        var distinct: [String] = []
        var present = 0
        var size = 0
        for change in changes {
            guard let name = shareClass(change.attribute) else {
                throw StoreError(.malformedLeaf, "attribute \(change.attribute) has no share class in the policy")
            }
            classes.append(name)
            guard let value = change.value else { continue }
            present += 1
            size += change.attribute.rawValue.utf8.count + Self.estimatedSize(value) + 12
            if !distinct.contains(name) { distinct.append(name) }
        }
        // Encoded directly: the state of a new record, and one leaf per share class.
        var state = BinaryWriter(capacity: size + 16)
        EntryCodec.writeRecordStateHeader(count: present, base: hlc, to: &state)
        for change in changes where change.value != nil {
            EntryCodec.writeRegister(change.attribute, Register(hlc: hlc, value: change.value), base: hlc, to: &state)
        }
        if distinct.count > 1 { distinct.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        var leaves: [(shareClass: String, leaf: Leaf)] = []
        leaves.reserveCapacity(distinct.count)
        for name in distinct {
            var count = 0
            for (index, change) in changes.enumerated() where change.value != nil && classes[index] == name { count += 1 }
            var leaf = BinaryWriter(capacity: Leaf.saltLength + 48 + size)
            leaf.writeRaw(try salts.next())
            EntryCodec.writeRecordWriteHeader(record: write.record, hlc: hlc, changeCount: count, to: &leaf)
            for (index, change) in changes.enumerated() where change.value != nil && classes[index] == name {
                EntryCodec.writeChange(change.attribute, change.value, to: &leaf)
            }
            leaves.append((shareClass: name, leaf: Leaf(saltedBody: leaf.bytes)))
        }
        return PreparedWrite(record: write.record, hlc: hlc, changes: changes, classes: classes, leaves: leaves,
                             freshState: state.bytes, freshEntries: present)
    }

    private static func estimatedSize(_ value: Value) -> Int {
        switch value {
        case .text(let text): text.utf8.count
        case .set(let items): items.reduce(2) { $0 + $1.utf8.count + 2 }
        case .consent, .interaction, .erasureRequest, .erasureAcknowledgement: 128
        }
    }

    /// Groups changes by share class into record writes and salted leaves.
    static func makeLeaves(
        record: RecordKey, hlc: HLC, changes: [(attribute: AttributeName, value: Value?)], classes: [String], salts: inout SaltSource
    ) throws -> (leaves: [(shareClass: String, leaf: Leaf)], writes: [(String, RecordWrite)]) {
        var order: [String] = []
        for name in classes where !order.contains(name) { order.append(name) }
        order.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var leaves: [(shareClass: String, leaf: Leaf)] = []
        var writes: [(String, RecordWrite)] = []
        for name in order {
            var group: [(attribute: AttributeName, value: Value?)] = []
            for (index, change) in changes.enumerated() where classes[index] == name { group.append(change) }
            let recordWrite: RecordWrite
            do {
                recordWrite = try RecordWrite(record: record, hlc: hlc, changes: group)
            } catch {
                throw StoreError(.malformedLeaf, "write on \(record) is not valid", cause: error)
            }
            var writer = BinaryWriter(capacity: 64 + group.count * 24)
            writer.writeRaw(try salts.next())
            EntryCodec.encode(recordWrite, to: &writer)
            leaves.append((shareClass: name, leaf: Leaf(saltedBody: writer.bytes)))
            writes.append((name, recordWrite))
        }
        return (leaves, writes)
    }

    private static func isSorted(_ changes: [(attribute: AttributeName, value: Value?)]) -> Bool {
        for index in changes.indices.dropFirst() where !(changes[index - 1].attribute < changes[index].attribute) { return false }
        return true
    }
}

/// Hands out 16-byte leaf salts from a buffer filled by the system's secure random generator,
/// refilled in bulk so that each salt costs a copy, not a system call.
public struct SaltSource: Sendable {
    private var buffer: [UInt8] = []
    private var offset = 0
    private let refill: Int

    /// Creates a source that draws `refill` salts at a time.
    public init(refill: Int = 4096) { self.refill = max(1, refill) }

    /// The next salt.
    /// - Throws: ``AccordCrypto/CryptoError`` when the random generator fails.
    public mutating func next() throws -> ArraySlice<UInt8> {
        if offset + Leaf.saltLength > buffer.count {
            buffer = try SecureRandom.bytes(count: refill * Leaf.saltLength)
            offset = 0
        }
        defer { offset += Leaf.saltLength }
        return buffer[offset..<offset + Leaf.saltLength]
    }
}
