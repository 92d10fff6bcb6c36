public import AccordModel
public import AccordCrypto

/// Seals an author's record writes into signed batches, continuing a stream from its head.
public struct BatchSealer: Sendable {
    /// Most leaves per batch.
    public var maxLeaves: Int
    /// Most leaf bytes per batch (a batch closes when the next leaf would pass it).
    public var maxBytes: Int

    /// Creates a sealer with batch size limits.
    public init(maxLeaves: Int = 1024, maxBytes: Int = 1 << 20) {
        self.maxLeaves = maxLeaves
        self.maxBytes = maxBytes
    }

    /// Seals encoded record writes into one or more batches continuing `head`.
    /// - Parameters:
    ///   - bodies: encoded record writes (``EntryCodec/encode(_:)-(RecordWrite)``), in order.
    ///   - head: where the stream stands; the first batch gets sequence `head.sequence + 1`.
    ///   - policyVersion: the policy version the author holds.
    ///   - createdAt: the author's clock.
    ///   - key: the author's signing key.
    /// - Returns: the batches in order; the last one's sequence and hash are the new head.
    /// - Throws: ``AccordCrypto/CryptoError`` when salts or signatures cannot be made.
    public func seal(
        _ bodies: [[UInt8]], continuing head: StreamHead, policyVersion: UInt64, createdAt: HLC,
        key: Ed25519PrivateKey
    ) throws -> [VerifiedBatch] {
        let salts = try SecureRandom.bytes(count: bodies.count * Leaf.saltLength)
        let leaves = bodies.enumerated().map { index, body in
            var salted = [UInt8]()
            salted.reserveCapacity(Leaf.saltLength + body.count)
            salted.append(contentsOf: salts[index * Leaf.saltLength..<(index + 1) * Leaf.saltLength])
            salted.append(contentsOf: body)
            return Leaf(saltedBody: salted)
        }
        return try seal(leaves: leaves, continuing: head, policyVersion: policyVersion, createdAt: createdAt, key: key)
    }

    /// Seals ready leaves (salted and hashed) into one or more batches continuing `head`.
    /// - Parameters:
    ///   - leaves: the leaves, in order.
    ///   - head: where the stream stands; the first batch gets sequence `head.sequence + 1`.
    ///   - policyVersion: the policy version the author holds.
    ///   - createdAt: the author's clock.
    ///   - key: the author's signing key.
    /// - Returns: the batches in order; the last one's sequence and hash are the new head.
    /// - Throws: ``AccordCrypto/CryptoError`` when a signature cannot be made.
    public func seal(
        leaves: [Leaf], continuing head: StreamHead, policyVersion: UInt64, createdAt: HLC, key: Ed25519PrivateKey
    ) throws -> [VerifiedBatch] {
        var batches: [VerifiedBatch] = []
        var sequence = head.sequence
        var previous = head.hash
        var start = 0
        while start < leaves.count {
            var end = start
            var bytes = 0
            while end < leaves.count && end - start < maxLeaves {
                let size = leaves[end].saltedBody?.count ?? 32
                if end > start && bytes + size > maxBytes { break }
                bytes += size
                end += 1
            }
            sequence += 1
            let slice = Array(leaves[start..<end])
            let header = BatchHeader(
                stream: head.stream, sequence: sequence, previousHash: previous, policyVersion: policyVersion,
                leafCount: UInt32(slice.count), createdAt: createdAt)
            let digest = Batch.signedDigest(header: header, leaves: slice)
            let batch = Batch(header: header, leaves: slice, signature: try key.signature(for: digest))
            batches.append(VerifiedBatch(batch))
            previous = batch.hash
            start = end
        }
        return batches
    }
}
