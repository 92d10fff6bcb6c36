public import AccordModel
public import AccordStore
import AccordCrypto

/// The salted hashes this node uses for erasure, and its tombstones held in memory for fast checks.
///
/// - A request names identifiers as `SHA-256(request salt || identifier)`: every node can test the
///   identifiers it holds against them, none can read them back.
/// - A tombstone is `SHA-256(node salt || kind || text)`, with the node's own salt, which never
///   leaves the node: `r` + `unit/localId` for an erased record, `i` + the identifier for an erased
///   email or phone number.
public struct TombstoneSet: Sendable {
    /// The node's salt.
    public let salt: [UInt8]
    private var records: [[UInt8]: String] = [:]
    private var identifiers: [[UInt8]: (request: String, before: Int64)] = [:]

    /// An empty set with the node's salt.
    public init(salt: [UInt8]) { self.salt = salt }

    /// The node's tombstones.
    public init(store: Store) throws {
        self.init(salt: try store.tombstoneSalt())
        for tombstone in try store.tombstones() { add(tombstone) }
    }

    /// Adds a tombstone.
    public mutating func add(_ tombstone: Tombstone) {
        switch tombstone.kind {
        case .record: records[tombstone.hash] = tombstone.request
        case .identifier: identifiers[tombstone.hash] = (tombstone.request, tombstone.beforeMillis)
        }
    }

    /// Whether there is no tombstone at all.
    public var isEmpty: Bool { records.isEmpty && identifiers.isEmpty }

    /// The request that erased `record`, if it was erased here.
    public func request(erasing record: RecordKey) -> String? {
        records.isEmpty ? nil : records[recordHash(record)]
    }

    /// The request that erased `identifier`, if an entry written at `writtenAtMillis` carrying it must be refused.
    public func request(erasing identifier: String, writtenAtMillis: Int64) -> String? {
        guard !identifiers.isEmpty, let found = identifiers[identifierHash(identifier)], writtenAtMillis < found.before else { return nil }
        return found.request
    }

    /// The tombstone hash of a record key.
    public func recordHash(_ record: RecordKey) -> [UInt8] {
        SHA256.hash(salt + [UInt8(ascii: "r")] + Array(record.description.utf8)).bytes
    }

    /// The tombstone hash of an identifier.
    public func identifierHash(_ identifier: String) -> [UInt8] {
        SHA256.hash(salt + [UInt8(ascii: "i")] + Array(identifier.utf8)).bytes
    }

    /// The hash a request with `salt` names an identifier by.
    public static func requestHash(_ identifier: String, salt: [UInt8]) -> [UInt8] {
        SHA256.hash(salt + Array(identifier.utf8)).bytes
    }
}
