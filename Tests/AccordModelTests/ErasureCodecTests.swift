import AccordModel
import Testing

@Suite("Entry codec: erasure requests and acknowledgements")
struct ErasureCodecTests {
    func roundTrip(_ value: Value) throws -> Value? {
        let write = try RecordWrite(record: ErasureRequest.record(requester: UnitID(unchecked: "governance"), id: "0123abcd"), hlc: HLC(rawValue: 7),
                                    changes: [(attribute: ErasureRequest.attribute, value: value)])
        let decoded = try EntryCodec.decodeRecordWrite(EntryCodec.encode(write))
        #expect(EntryCodec.encode(decoded) == EntryCodec.encode(write))
        return decoded.changes.first?.value
    }

    @Test func requestsAndAcknowledgementsRoundTripSortedAndUnique() throws {
        let a = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "C-1")
        let b = RecordKey(unchecked: UnitID(unchecked: "insurance"), localId: "I-3")
        let low = [UInt8](repeating: 1, count: 32), high = [UInt8](repeating: 9, count: 32)
        let request = try ErasureRequest(requestedAtMillis: -5, records: [a, b, a], salt: [UInt8](repeating: 3, count: 16),
                                         identifierHashes: [high, low, high], reference: "")
        #expect(request.records == [b, a])
        #expect(request.identifierHashes == [low, high])
        #expect(try roundTrip(.erasureRequest(request)) == .erasureRequest(request))
        let ack = ErasureAcknowledgement(erasedAtMillis: 9, records: [a, b], entriesRemoved: 0, leavesRedacted: UInt64.max, holds: ["z", "a", "z"])
        #expect(ack.holds == ["a", "z"])
        #expect(try roundTrip(.erasureAcknowledgement(ack)) == .erasureAcknowledgement(ack))
        #expect(Value.erasureRequest(request) != .erasureAcknowledgement(ack))
    }

    @Test func badSaltsAndHashesAreRefused() {
        #expect(throws: ModelError(.malformed, "")) {
            try ErasureRequest(requestedAtMillis: 0, records: [], salt: [1, 2], identifierHashes: [], reference: "")
        }
        #expect(throws: ModelError(.malformed, "")) {
            try ErasureRequest(requestedAtMillis: 0, records: [], salt: [UInt8](repeating: 0, count: 16), identifierHashes: [[1]], reference: "")
        }
    }

    @Test func unsortedRecordsAndHashesDoNotDecode() throws {
        func encoded(records: [(String, String)], hashes: [[UInt8]]) -> [UInt8] {
            var writer = BinaryWriter()
            EntryCodec.writeRecordWriteHeader(record: RecordKey(unchecked: UnitID(unchecked: "g"), localId: "erasure:1"), hlc: .zero,
                                              changeCount: 1, to: &writer)
            writer.writeString("erasure:request")
            writer.writeUInt8(5)
            writer.writeInt64(0)
            writer.writeVarint(UInt64(records.count))
            for (unit, localId) in records {
                writer.writeString(unit)
                writer.writeString(localId)
            }
            writer.writeRaw([UInt8](repeating: 0, count: 16))
            writer.writeVarint(UInt64(hashes.count))
            for hash in hashes { writer.writeRaw(hash) }
            writer.writeString("")
            return writer.bytes
        }
        let low = [UInt8](repeating: 1, count: 32), high = [UInt8](repeating: 9, count: 32)
        #expect(throws: Never.self) { try EntryCodec.decodeRecordWrite(encoded(records: [("a", "1"), ("b", "1")], hashes: [low, high])) }
        #expect(throws: ModelError(.malformed, "")) { try EntryCodec.decodeRecordWrite(encoded(records: [("b", "1"), ("a", "1")], hashes: [])) }
        #expect(throws: ModelError(.malformed, "")) { try EntryCodec.decodeRecordWrite(encoded(records: [("a", "1"), ("a", "1")], hashes: [])) }
        #expect(throws: ModelError(.malformed, "")) { try EntryCodec.decodeRecordWrite(encoded(records: [], hashes: [high, low])) }
        #expect(throws: ModelError(.malformed, "")) { try EntryCodec.decodeRecordWrite(encoded(records: [("A", "1")], hashes: [])) }
    }

    @Test func requestIDsAndRecords() {
        #expect(ErasureRequest.isValidID("3f2a-09"))
        #expect(!ErasureRequest.isValidID("") && !ErasureRequest.isValidID("ABC") && !ErasureRequest.isValidID(String(repeating: "a", count: 65)))
        let record = ErasureRequest.record(requester: UnitID(unchecked: "retail"), id: "ab12")
        #expect(record.localId == "erasure:ab12")
        #expect(ErasureRequest.requestID(ofLocalId: record.localId) == "ab12")
        #expect(ErasureRequest.requestID(ofLocalId: "C-1") == nil)
        #expect(ErasureRequest.requestID(ofLocalId: "erasure:Bad") == nil)
    }
}
