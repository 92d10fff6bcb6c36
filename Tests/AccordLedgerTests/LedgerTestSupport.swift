import AccordCrypto
import AccordLedger
import AccordModel
import AccordSampleData

enum Fixtures {
    static let retail = UnitID(unchecked: "retail")

    static func write(_ index: Int, unit: UnitID = retail, hlc: UInt64 = 1_000) -> [UInt8] {
        let record = RecordKey(unchecked: unit, localId: "R-\(index)")
        let write = try! RecordWrite(record: record, hlc: HLC(rawValue: hlc << 16 + UInt64(index)), changes: [
            (attribute: AttributeName(unchecked: "email"), value: .set(["a\(index)@example.com", "b\(index)@example.org"])),
            (attribute: AttributeName(unchecked: "given_name"), value: .text("Jürgen \(index)")),
            (attribute: AttributeName(unchecked: "city"), value: nil),
        ])
        return EntryCodec.encode(write)
    }

    static func sealed(leaves: Int, key: Ed25519PrivateKey, head: StreamHead? = nil, maxLeaves: Int = 1024) throws -> [VerifiedBatch] {
        let stream = StreamID(unchecked: retail, shareClass: "identity")
        return try BatchSealer(maxLeaves: maxLeaves).seal(
            (0..<leaves).map { write($0) }, continuing: head ?? .empty(stream), policyVersion: 1,
            createdAt: HLC(physicalMillis: 1_000, logical: 0), key: key)
    }
}
