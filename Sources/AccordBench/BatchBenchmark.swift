import AccordCrypto
import AccordLedger
import AccordModel
import Foundation

/// Seal (salt, hash, sign), encode, decode and verify batches of typical record writes.
enum BatchBenchmark {
    static func run(_ arguments: [String]) throws {
        let leaves = Int(Figures.option("leaves", in: arguments) ?? "") ?? 200_000
        let key = try Ed25519PrivateKey.generate()
        let unit = UnitID(unchecked: "retail")
        let bodies = (0..<leaves).map { index in
            EntryCodec.encode(try! RecordWrite(record: RecordKey(unchecked: unit, localId: "R-\(index)"), hlc: HLC(rawValue: UInt64(index)), changes: [
                (attribute: AttributeName(unchecked: "given_name"), value: .text("Katharina")),
                (attribute: AttributeName(unchecked: "family_name"), value: .text("Müller-Lüdenscheidt")),
                (attribute: AttributeName(unchecked: "birth_date"), value: .text("1984-03-07")),
                (attribute: AttributeName(unchecked: "street"), value: .text("Lindenstraße 42")),
                (attribute: AttributeName(unchecked: "city"), value: .text("Braunschweig")),
                (attribute: AttributeName(unchecked: "postcode"), value: .text("38100")),
                (attribute: AttributeName(unchecked: "country"), value: .text("DE")),
                (attribute: AttributeName(unchecked: "segment"), value: .text("premium")),
            ]))
        }
        let stream = StreamID(unchecked: unit, shareClass: "identity")
        var sealed: [VerifiedBatch] = []
        let sealSeconds = try Figures.time {
            sealed = try BatchSealer().seal(bodies, continuing: .empty(stream), policyVersion: 1, createdAt: HLC(rawValue: 1), key: key)
        }
        var encoded: [[UInt8]] = []
        let encodeSeconds = Figures.time { encoded = sealed.map { BatchCodec.encode($0.batch) } }
        let verifySeconds = try Figures.time {
            for bytes in encoded { _ = try BatchCodec.decode(bytes).verified(with: key.publicKey) }
        }
        var signs = 0
        let signSeconds = try Figures.time {
            let digest = [UInt8](repeating: 1, count: 32)
            while signs < 20_000 { _ = try key.signature(for: digest); signs += 1 }
        }
        let signature = try key.signature(for: [1, 2, 3])
        var verifies = 0
        let verifySignatureSeconds = Figures.time {
            while verifies < 10_000 { _ = key.publicKey.isValidSignature(signature, for: [1, 2, 3]); verifies += 1 }
        }
        print("# \(leaves) leaves in \(sealed.count) batches")
        Figures.report("batch.seal_leaves_per_second", Double(leaves) / sealSeconds, "leaves/s")
        Figures.report("batch.encode_leaves_per_second", Double(leaves) / encodeSeconds, "leaves/s")
        Figures.report("batch.decode_verify_leaves_per_second", Double(leaves) / verifySeconds, "leaves/s")
        Figures.report("batch.decode_verify_batches_per_second", Double(sealed.count) / verifySeconds, "batches/s")
        Figures.report("ed25519.signs_per_second", Double(signs) / signSeconds, "signs/s")
        Figures.report("ed25519.verifies_per_second", Double(verifies) / verifySignatureSeconds, "verifies/s")
    }
}
