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
        guard !bodies.isEmpty else { return [] }
        let salts = try SecureRandom.bytes(count: bodies.count * Leaf.saltLength)
        var batches: [VerifiedBatch] = []
        var sequence = head.sequence
        var previous = head.hash
        var leaves: [Leaf] = []
        var bytes = 0

        func close() throws {
            sequence += 1
            let header = BatchHeader(
                stream: head.stream, sequence: sequence, previousHash: previous, policyVersion: policyVersion,
                leafCount: UInt32(leaves.count), createdAt: createdAt)
            let digest = Batch.signedDigest(header: header, leaves: leaves)
            let batch = Batch(header: header, leaves: leaves, signature: try key.signature(for: digest))
            batches.append(VerifiedBatch(batch))
            previous = batch.hash
            leaves.removeAll(keepingCapacity: true)
            bytes = 0
        }

        for (index, body) in bodies.enumerated() {
            if !leaves.isEmpty && (leaves.count >= maxLeaves || bytes + body.count > maxBytes) { try close() }
            var salted = [UInt8]()
            salted.reserveCapacity(Leaf.saltLength + body.count)
            salted.append(contentsOf: salts[index * Leaf.saltLength..<(index + 1) * Leaf.saltLength])
            salted.append(contentsOf: body)
            leaves.append(Leaf(saltedBody: salted))
            bytes += salted.count
        }
        try close()
        return batches
    }
}
