import AccordModel

/// The wire and storage form of a batch:
/// `version u8 | header (length-prefixed) | signature (64) | leaf count (varint) | leaves`,
/// each leaf `0 | salted body (length-prefixed)` or `1 | hash (32)` when redacted.
public enum BatchCodec {
    /// Size limits that bound the decoder's work on hostile input.
    public struct Limits: Sendable {
        /// Largest encoded batch accepted.
        public var maxBatchBytes: Int
        /// Largest leaf (salt and body) accepted.
        public var maxLeafBytes: Int
        /// Most leaves accepted in one batch.
        public var maxLeaves: Int
        /// Creates limits.
        public init(maxBatchBytes: Int = 8 << 20, maxLeafBytes: Int = 256 << 10, maxLeaves: Int = 65_536) {
            self.maxBatchBytes = maxBatchBytes
            self.maxLeafBytes = maxLeafBytes
            self.maxLeaves = maxLeaves
        }
    }

    private static let contentLeaf: UInt8 = 0
    private static let redactedLeaf: UInt8 = 1

    /// The encoded batch.
    public static func encode(_ batch: Batch) -> [UInt8] {
        var size = 128
        for leaf in batch.leaves { size += (leaf.saltedBody?.count ?? 32) + 4 }
        var writer = BinaryWriter(capacity: size)
        writer.writeUInt8(Batch.formatVersion)
        writer.writeBytes(batch.header.encoded())
        writer.writeRaw(batch.signature)
        writer.writeVarint(UInt64(batch.leaves.count))
        for leaf in batch.leaves {
            if let body = leaf.saltedBody {
                writer.writeUInt8(contentLeaf)
                writer.writeBytes(body)
            } else {
                writer.writeUInt8(redactedLeaf)
                writer.writeRaw(leaf.hash)
            }
        }
        return writer.bytes
    }

    /// Decodes a batch. Leaf bodies are not decoded here (see ``Leaf/recordWrite(limits:)``), and
    /// the signature is not checked (see ``Batch/verified(with:)``).
    /// - Throws: ``LedgerError`` `.tooLarge` or `.malformed`, whose cause names the byte offset.
    public static func decode(_ bytes: [UInt8], limits: Limits = Limits()) throws -> Batch {
        guard bytes.count <= limits.maxBatchBytes else {
            throw LedgerError(.tooLarge, "batch of \(bytes.count) bytes is over the limit of \(limits.maxBatchBytes)")
        }
        do {
            var reader = BinaryReader(bytes, limits: .init(maxFieldBytes: limits.maxLeafBytes, maxCount: limits.maxLeaves))
            let versionOffset = reader.offset
            let version = try reader.readUInt8("batch version")
            guard version == Batch.formatVersion else {
                throw ModelError(.unsupportedVersion, "batch has version \(version), this build reads \(Batch.formatVersion)", offset: versionOffset)
            }
            let headerOffset = reader.offset
            let header: BatchHeader
            do {
                header = try BatchHeader.decode(try reader.readBytes("header"))
            } catch let error as ModelError {
                // Report header offsets relative to the whole batch.
                throw ModelError(error.code, error.message, offset: (error.offset ?? 0) + headerOffset + 1)
            }
            let signature = try reader.readRaw(64, "signature")
            let countOffset = reader.offset
            let count = try reader.readCount("leaf count", minElementBytes: 2)
            guard count == Int(header.leafCount) else {
                throw LedgerError(.leafCountMismatch, "header announces \(header.leafCount) leaves, the batch holds \(count) (offset \(countOffset))")
            }
            var leaves: [Leaf] = []
            leaves.reserveCapacity(count)
            for index in 0..<count {
                let leafOffset = reader.offset
                switch try reader.readUInt8("leaf \(index) kind") {
                case contentLeaf:
                    let body = try reader.readBytes("leaf \(index)")
                    guard body.count > Leaf.saltLength else {
                        throw ModelError(.malformed, "leaf \(index) is shorter than its salt", offset: leafOffset)
                    }
                    leaves.append(Leaf(saltedBody: body))
                case redactedLeaf:
                    leaves.append(Leaf(redactedHash: try reader.readRaw(32, "leaf \(index) hash")))
                default:
                    throw ModelError(.malformed, "leaf \(index) has an unknown kind", offset: leafOffset)
                }
            }
            try reader.expectEnd("batch")
            return Batch(header: header, leaves: leaves, signature: signature)
        } catch let error as ModelError {
            throw LedgerError(.malformed, "batch does not decode: \(error.message) at offset \(error.offset ?? 0)", cause: error)
        }
    }
}
