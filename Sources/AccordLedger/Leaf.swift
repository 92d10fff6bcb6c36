public import AccordModel
import AccordCrypto

/// One leaf of a batch: a record write preceded by a random 16-byte salt, or, once redacted, only
/// the hash of what was there. The salt keeps a leaf's hash from revealing its content: knowing a
/// customer's email does not let anyone confirm it against a redacted hash.
public struct Leaf: Hashable, Sendable {
    /// The length of a leaf's salt.
    public static let saltLength = 16

    /// The leaf's content, if not redacted: 16 bytes of salt followed by the encoded record write.
    public let saltedBody: [UInt8]?
    /// SHA-256 of `salt || body`, kept when the content is redacted.
    public let hash: [UInt8]

    /// A leaf with content; computes its hash.
    /// - Precondition: `saltedBody` holds at least the salt.
    public init(saltedBody: [UInt8]) {
        precondition(saltedBody.count > Self.saltLength, "a leaf needs a salt and a body")
        self.saltedBody = saltedBody
        self.hash = SHA256.hash(saltedBody).bytes
    }

    /// A redacted leaf: only its hash remains.
    public init(redactedHash: [UInt8]) {
        precondition(redactedHash.count == 32, "a leaf hash has 32 bytes")
        self.saltedBody = nil
        self.hash = redactedHash
    }

    /// Whether the content was dropped.
    public var isRedacted: Bool { saltedBody == nil }

    /// The random salt, if not redacted.
    public var salt: ArraySlice<UInt8>? { saltedBody?.prefix(Self.saltLength) }

    /// The encoded record write, if not redacted.
    public var body: [UInt8]? { saltedBody.map { Array($0.dropFirst(Self.saltLength)) } }

    /// Decodes the record write this leaf carries; `nil` when redacted.
    /// - Throws: ``ModelError`` naming the offset inside the body.
    public func recordWrite(limits: BinaryReader.Limits = .init()) throws -> RecordWrite? {
        guard let saltedBody else { return nil }
        var reader = BinaryReader(saltedBody, start: Self.saltLength, limits: limits)
        let write = try EntryCodec.readRecordWrite(from: &reader)
        try reader.expectEnd("record write")
        return write
    }

    /// The same leaf with its content dropped.
    public func redacted() -> Leaf { Leaf(redactedHash: hash) }
}
