import AccordModel
public import AccordCrypto

/// A signed batch: a header, its leaves, and the author's Ed25519 signature over
/// `SHA-256(header bytes || hash of leaf 1 || ... || hash of leaf n)`.
///
/// Because the signature covers leaf hashes, not leaf content, a redacted batch still verifies.
/// That same digest is the batch's ``hash``, which the next batch of the stream links to.
public struct Batch: Hashable, Sendable {
    /// The encoding version this build writes.
    public static let formatVersion: UInt8 = 1

    /// The header.
    public let header: BatchHeader
    /// The leaves, in order.
    public let leaves: [Leaf]
    /// The author's 64-byte Ed25519 signature.
    public let signature: [UInt8]
    /// The signed digest; also the link the next batch of the stream carries.
    public let hash: [UInt8]

    /// Assembles a batch and computes its digest. Does not verify the signature.
    public init(header: BatchHeader, leaves: [Leaf], signature: [UInt8]) {
        self.header = header
        self.leaves = leaves
        self.signature = signature
        self.hash = Self.signedDigest(header: header, leaves: leaves)
    }

    /// The digest the author signs: SHA-256 of the header bytes followed by every leaf hash.
    public static func signedDigest(header: BatchHeader, leaves: [Leaf]) -> [UInt8] {
        let hasher = SHA256Hasher()
        hasher.update(header.encoded())
        for leaf in leaves { hasher.update(leaf.hash) }
        return hasher.finalize().bytes
    }

    /// The stream this batch belongs to.
    public var stream: StreamID { header.stream }

    /// Checks the leaf count and the author's signature.
    /// - Parameter key: the author's public signing key.
    /// - Returns: the batch, marked as verified.
    /// - Throws: ``LedgerError`` `.leafCountMismatch` or `.badSignature`.
    public func verified(with key: Ed25519PublicKey) throws -> VerifiedBatch {
        guard Int(header.leafCount) == leaves.count else {
            throw LedgerError(.leafCountMismatch, "batch \(describe) announces \(header.leafCount) leaves but has \(leaves.count)")
        }
        guard key.isValidSignature(signature, for: hash) else {
            throw LedgerError(.badSignature, "batch \(describe) is not signed by \(header.stream.author)'s key")
        }
        return VerifiedBatch(self)
    }

    /// The same batch with leaf `index` redacted; it still verifies.
    public func redacting(leafAt index: Int) -> Batch {
        var leaves = leaves
        leaves[index] = leaves[index].redacted()
        return Batch(header: header, leaves: leaves, signature: signature)
    }

    /// `author/class#sequence`, for messages.
    public var describe: String { "\(header.stream)#\(header.sequence)" }
}

/// A batch whose signature and leaf count have been checked against its author's key. Only
/// ``Batch/verified(with:)`` and ``BatchSealer`` make one, so code that takes a `VerifiedBatch`
/// cannot be handed an unchecked batch.
public struct VerifiedBatch: Hashable, Sendable {
    /// The batch.
    public let batch: Batch
    init(_ batch: Batch) { self.batch = batch }
}
