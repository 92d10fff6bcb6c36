public import AccordModel

/// The signed header of a batch: whose stream, which position in it, the link to the previous
/// batch, the policy version it was written under, and how many leaves follow.
public struct BatchHeader: Hashable, Sendable {
    /// The encoding version this build writes.
    public static let formatVersion: UInt8 = 1

    /// The stream the batch belongs to.
    public let stream: StreamID
    /// The position in the stream, from 1, without gaps.
    public let sequence: UInt64
    /// The hash of batch `sequence - 1` of the same stream (zero for the first).
    public let previousHash: [UInt8]
    /// The version of the policy the author held when it wrote the batch.
    public let policyVersion: UInt64
    /// How many leaves the batch has.
    public let leafCount: UInt32
    /// The author's clock when it sealed the batch.
    public let createdAt: HLC

    /// Creates a header.
    public init(stream: StreamID, sequence: UInt64, previousHash: [UInt8], policyVersion: UInt64, leafCount: UInt32, createdAt: HLC) {
        self.stream = stream
        self.sequence = sequence
        self.previousHash = previousHash
        self.policyVersion = policyVersion
        self.leafCount = leafCount
        self.createdAt = createdAt
    }

    /// The canonical bytes of the header (what the signature covers, with the leaf hashes).
    public func encoded() -> [UInt8] {
        var writer = BinaryWriter(capacity: 96)
        writer.writeUInt8(Self.formatVersion)
        writer.writeString(stream.author.rawValue)
        writer.writeString(stream.shareClass)
        writer.writeUInt64(sequence)
        writer.writeRaw(previousHash)
        writer.writeUInt64(policyVersion)
        writer.writeUInt32(leafCount)
        writer.writeUInt64(createdAt.rawValue)
        return writer.bytes
    }

    /// Decodes a header, refusing non-canonical or invalid fields.
    /// - Throws: ``ModelError`` naming the byte offset.
    public static func decode(_ bytes: [UInt8]) throws -> BatchHeader {
        var reader = BinaryReader(bytes, limits: .init(maxFieldBytes: 255, maxCount: 0))
        let versionOffset = reader.offset
        let version = try reader.readUInt8("header version")
        guard version == formatVersion else {
            throw ModelError(.unsupportedVersion, "batch header has version \(version), this build reads \(formatVersion)", offset: versionOffset)
        }
        let authorOffset = reader.offset
        guard let author = try? UnitID(reader.readString("author")) else {
            throw ModelError(.malformed, "author is not a valid unit id", offset: authorOffset)
        }
        let classOffset = reader.offset
        guard let stream = try? StreamID(author: author, shareClass: reader.readString("share class")) else {
            throw ModelError(.malformed, "share class is not a valid identifier", offset: classOffset)
        }
        let sequenceOffset = reader.offset
        let sequence = try reader.readUInt64("sequence number")
        guard sequence >= 1 else { throw ModelError(.malformed, "sequence numbers start at 1", offset: sequenceOffset) }
        let previous = try reader.readRaw(32, "previous hash")
        let policyVersion = try reader.readUInt64("policy version")
        let leafCount = try reader.readUInt32("leaf count")
        let createdAt = HLC(rawValue: try reader.readUInt64("creation clock"))
        try reader.expectEnd("batch header")
        return BatchHeader(stream: stream, sequence: sequence, previousHash: previous, policyVersion: policyVersion, leafCount: leafCount, createdAt: createdAt)
    }
}
