/// A request to erase a person from the federation: the records that hold the person and the
/// person's identifiers (emails, phone numbers), the identifiers **only as salted hashes**, so the
/// request, which every node keeps as proof, never holds them in the clear.
///
/// A request is the entry `erasure:request` on the requester's record `erasure:<request id>`;
/// every node that carries it out writes its own entry `erasure:ack` on that same record
/// (``ErasureAcknowledgement``). Both travel in the policy's erasure class, which every member receives.
public struct ErasureRequest: Hashable, Sendable {
    /// The length of the salt, in bytes.
    public static let saltLength = 16
    /// The length of an identifier hash (SHA-256), in bytes.
    public static let hashLength = 32
    /// The attribute of a request's register.
    public static let attribute = AttributeName(unchecked: "erasure:request")
    /// The prefix of the local ids of erasure records: `erasure:<request id>`.
    public static let localIdPrefix = "erasure:"

    /// When the request was made, milliseconds since 1970. Identifier tombstones refuse entries
    /// written before this time.
    public var requestedAtMillis: Int64
    /// The records the requester found, sorted, unique.
    public private(set) var records: [RecordKey]
    /// The random salt of the identifier hashes.
    public let salt: [UInt8]
    /// `SHA-256(salt || identifier)` of every normalized identifier, sorted byte-wise, unique.
    public private(set) var identifierHashes: [[UInt8]]
    /// A reference such as a ticket number or legal basis; never personal data.
    public var reference: String

    /// Creates a request; records and hashes are sorted and deduplicated.
    /// - Throws: ``ModelError`` `.malformed` for a salt or hash of the wrong length.
    public init(requestedAtMillis: Int64, records: some Sequence<RecordKey>, salt: [UInt8], identifierHashes: some Sequence<[UInt8]>,
                reference: String) throws {
        guard salt.count == Self.saltLength else { throw ModelError(.malformed, "an erasure salt has \(Self.saltLength) bytes") }
        let hashes = Self.sortedUnique(Array(identifierHashes))
        guard hashes.allSatisfy({ $0.count == Self.hashLength }) else {
            throw ModelError(.malformed, "an identifier hash has \(Self.hashLength) bytes")
        }
        self.requestedAtMillis = requestedAtMillis
        self.records = Self.sortedUnique(Array(records))
        self.salt = salt
        self.identifierHashes = hashes
        self.reference = reference
    }

    /// Creates a request from parts the decoder already checked.
    init(checkedAt requestedAtMillis: Int64, records: [RecordKey], salt: [UInt8], identifierHashes: [[UInt8]], reference: String) {
        self.requestedAtMillis = requestedAtMillis
        self.records = records
        self.salt = salt
        self.identifierHashes = identifierHashes
        self.reference = reference
    }

    /// The record a request with this id by `requester` lives on.
    public static func record(requester: UnitID, id: String) -> RecordKey {
        RecordKey(unchecked: requester, localId: localIdPrefix + id)
    }

    /// The request id of an erasure record's local id, `nil` when the local id is not `erasure:<id>`.
    public static func requestID(ofLocalId localId: String) -> String? {
        guard localId.hasPrefix(localIdPrefix) else { return nil }
        let id = String(localId.dropFirst(localIdPrefix.count))
        return isValidID(id) ? id : nil
    }

    /// Whether a request id is well formed: 1 to 64 of `a-z`, `0-9`, `-`.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...64).contains(bytes.count)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    static func sortedUnique(_ records: [RecordKey]) -> [RecordKey] {
        var result: [RecordKey] = []
        for record in records.sorted() where result.last != record { result.append(record) }
        return result
    }

    static func sortedUnique(_ hashes: [[UInt8]]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for hash in hashes.sorted(by: { $0.lexicographicallyPrecedes($1) }) where result.last != hash { result.append(hash) }
        return result
    }
}

/// A node's signed proof that it carried out an erasure request: when, which records it erased,
/// how many entries and leaves went, and which legal holds kept data back.
public struct ErasureAcknowledgement: Hashable, Sendable {
    /// The attribute of an acknowledgement's register.
    public static let attribute = AttributeName(unchecked: "erasure:ack")

    /// When the node erased, milliseconds since 1970.
    public var erasedAtMillis: Int64
    /// The records it erased (those the request named, found by the request's identifiers, or
    /// named by other nodes' acknowledgements), sorted, unique.
    public private(set) var records: [RecordKey]
    /// Entries removed from the node's record states.
    public var entriesRemoved: UInt64
    /// Leaves redacted in the node's stored batches.
    public var leavesRedacted: UInt64
    /// The ids of the legal holds that kept some of the data, sorted, unique.
    public private(set) var holds: [String]

    /// Creates an acknowledgement; records and holds are sorted and deduplicated.
    public init(erasedAtMillis: Int64, records: some Sequence<RecordKey>, entriesRemoved: UInt64, leavesRedacted: UInt64,
                holds: some Sequence<String>) {
        self.erasedAtMillis = erasedAtMillis
        self.records = ErasureRequest.sortedUnique(Array(records))
        self.entriesRemoved = entriesRemoved
        self.leavesRedacted = leavesRedacted
        var unique: [String] = []
        for hold in holds.sorted(by: { Identifier.less($0, $1) }) where unique.last.map({ !$0.utf8.elementsEqual(hold.utf8) }) ?? true {
            unique.append(hold)
        }
        self.holds = unique
    }

    /// Creates an acknowledgement from parts the decoder already checked.
    init(checkedAt erasedAtMillis: Int64, records: [RecordKey], entriesRemoved: UInt64, leavesRedacted: UInt64, holds: [String]) {
        self.erasedAtMillis = erasedAtMillis
        self.records = records
        self.entriesRemoved = entriesRemoved
        self.leavesRedacted = leavesRedacted
        self.holds = holds
    }
}
