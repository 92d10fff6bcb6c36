import AccordCrypto
import AccordLedger
import AccordModel
import Testing

@Suite("Batch signatures")
struct BatchSignatureTests {
    let key = try! Ed25519PrivateKey.generate()

    @Test func sealedBatchVerifiesAndRoundTrips() throws {
        let batch = try #require(try Fixtures.sealed(leaves: 5, key: key).first).batch
        let decoded = try BatchCodec.decode(BatchCodec.encode(batch))
        #expect(decoded == batch)
        _ = try decoded.verified(with: key.publicKey)
        #expect(try decoded.leaves[2].recordWrite() == EntryCodec.decodeRecordWrite(Fixtures.write(2)))
    }

    @Test func anyChangedByteIsRefused() throws {
        let batch = try #require(try Fixtures.sealed(leaves: 3, key: key).first).batch
        let bytes = BatchCodec.encode(batch)
        var accepted = 0
        for index in bytes.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var tampered = bytes
                tampered[index] ^= mask
                if let decoded = try? BatchCodec.decode(tampered), (try? decoded.verified(with: key.publicKey)) != nil {
                    accepted += 1
                }
            }
        }
        #expect(accepted == 0, "\(accepted) tampered encodings still verified")
    }

    @Test func wrongKeyIsRefused() throws {
        let batch = try #require(try Fixtures.sealed(leaves: 2, key: key).first).batch
        let other = try Ed25519PrivateKey.generate()
        #expect(throws: LedgerError(.badSignature, "")) { try batch.verified(with: other.publicKey) }
    }

    @Test func reorderedOrDroppedLeavesAreRefused() throws {
        let batch = try #require(try Fixtures.sealed(leaves: 4, key: key).first).batch
        var leaves = batch.leaves
        leaves.swapAt(0, 3)
        let reordered = Batch(header: batch.header, leaves: leaves, signature: batch.signature)
        #expect(throws: LedgerError(.badSignature, "")) { try reordered.verified(with: key.publicKey) }
        let dropped = Batch(header: batch.header, leaves: Array(batch.leaves.dropLast()), signature: batch.signature)
        #expect(throws: LedgerError(.leafCountMismatch, "")) { try dropped.verified(with: key.publicKey) }
    }

    @Test func redactedBatchStillVerifiesAndKeepsItsHash() throws {
        let batch = try #require(try Fixtures.sealed(leaves: 4, key: key).first).batch
        let redacted = batch.redacting(leafAt: 1).redacting(leafAt: 3)
        #expect(redacted.hash == batch.hash)
        #expect(redacted.leaves[1].isRedacted && redacted.leaves[1].body == nil)
        #expect(try redacted.leaves[1].recordWrite() == nil)
        let decoded = try BatchCodec.decode(BatchCodec.encode(redacted))
        _ = try decoded.verified(with: key.publicKey)
        #expect(decoded.leaves[1].isRedacted)
        #expect(!decoded.leaves[0].isRedacted)
        // The redacted encoding no longer holds the leaf's content.
        let content = try #require(batch.leaves[1].body)
        #expect(!BatchCodec.encode(redacted).contains(subsequence: content))
    }

    @Test func saltsNeverRepeat() throws {
        let batches = try Fixtures.sealed(leaves: 3000, key: key, maxLeaves: 500)
        var salts = Set<[UInt8]>()
        for batch in batches { for leaf in batch.batch.leaves { salts.insert(Array(try #require(leaf.salt))) } }
        #expect(salts.count == 3000)
    }

    @Test func streamsChainWithoutGaps() throws {
        let batches = try Fixtures.sealed(leaves: 10, key: key, maxLeaves: 3).map(\.batch)
        #expect(batches.map(\.header.sequence) == [1, 2, 3, 4])
        #expect(batches[0].header.previousHash == StreamHead.zeroHash)
        for index in 1..<batches.count { #expect(batches[index].header.previousHash == batches[index - 1].hash) }
        let head = StreamHead(stream: batches[3].stream, sequence: 4, hash: batches[3].hash)
        let next = try #require(try Fixtures.sealed(leaves: 1, key: key, head: head).first).batch
        #expect(next.header.sequence == 5 && next.header.previousHash == batches[3].hash)
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<$0 + subsequence.count].elementsEqual(subsequence) }
    }
}
