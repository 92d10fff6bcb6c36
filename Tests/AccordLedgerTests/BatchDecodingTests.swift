import AccordCrypto
import AccordLedger
import AccordModel
import AccordSampleData
import Testing

@Suite("Batch decoding")
struct BatchDecodingTests {
    let key = try! Ed25519PrivateKey.generate()

    @Test func everyTruncationIsRefusedWithAnError() throws {
        let bytes = BatchCodec.encode(try #require(try Fixtures.sealed(leaves: 2, key: key).first).batch)
        for length in 0..<bytes.count {
            #expect(throws: LedgerError.self) { try BatchCodec.decode(Array(bytes[..<length])) }
        }
    }

    @Test func trailingBytesAreRefused() throws {
        let bytes = BatchCodec.encode(try #require(try Fixtures.sealed(leaves: 1, key: key).first).batch)
        #expect(throws: LedgerError(.malformed, "")) { try BatchCodec.decode(bytes + [0]) }
    }

    @Test func oversizedBatchIsRefusedBeforeDecoding() throws {
        let bytes = BatchCodec.encode(try #require(try Fixtures.sealed(leaves: 50, key: key).first).batch)
        let error = #expect(throws: LedgerError.self) {
            try BatchCodec.decode(bytes, limits: .init(maxBatchBytes: 1000))
        }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("limit of 1000") == true)
    }

    @Test func oversizedLeafIsRefused() throws {
        let bytes = BatchCodec.encode(try #require(try Fixtures.sealed(leaves: 1, key: key).first).batch)
        let error = #expect(throws: LedgerError.self) { try BatchCodec.decode(bytes, limits: .init(maxLeafBytes: 20)) }
        #expect(error?.code == .malformed)
        #expect((error?.cause as? ModelError)?.code == .limitExceeded)
    }

    @Test func leafCountMustMatchHeader() throws {
        let batch = try #require(try Fixtures.sealed(leaves: 2, key: key).first).batch
        let lying = Batch(header: batch.header, leaves: [batch.leaves[0]], signature: batch.signature)
        #expect(throws: LedgerError(.leafCountMismatch, "")) { try BatchCodec.decode(BatchCodec.encode(lying)) }
    }

    @Test func randomBytesNeverCrash() {
        var random = SeededGenerator(seed: 7)
        var refused = 0
        for round in 0..<5000 {
            let length = Int(random.next() % 300)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = Batch.formatVersion }
            if (try? BatchCodec.decode(bytes)) == nil { refused += 1 }
        }
        #expect(refused == 5000)
    }

    @Test func malformedErrorNamesTheOffset() throws {
        var bytes = BatchCodec.encode(try #require(try Fixtures.sealed(leaves: 1, key: key).first).batch)
        bytes[0] = 9
        let error = #expect(throws: LedgerError.self) { try BatchCodec.decode(bytes) }
        #expect(error?.message.contains("offset 0") == true)
        #expect((error?.cause as? ModelError)?.code == .unsupportedVersion)
    }
}
