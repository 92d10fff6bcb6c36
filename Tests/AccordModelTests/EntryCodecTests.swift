import AccordModel
import AccordSampleData
import Testing

/// Fixed sample values covering every kind of value, Unicode text and deletions.
enum Samples {
    static let record = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "客户-😀-\u{E9}-e\u{301}")

    static let fullConsent = ConsentDecision(
        choice: .optOut, frequency: "monthly", expressed: true, decidedAtMillis: 1_700_000_000_123,
        method: "call-center", noticeVersion: "2024-03 ü", noticeHash: (0..<32).map { UInt8(255 - $0) },
        expiresAtMillis: -42, collectedBy: UnitID(unchecked: "insurance"))

    static let bareConsent = ConsentDecision(
        choice: .optIn, expressed: false, decidedAtMillis: 0, method: "", noticeVersion: "", noticeHash: [],
        collectedBy: UnitID(unchecked: "a"))

    static let event = InteractionEvent(
        type: "purchase", channel: "store", atMillis: Int64.min,
        attributes: ["sku": "A-1", "amount": "12.50 €", "ü": "", "Z": "😀"])

    static let changes: [(attribute: AttributeName, value: Value?)] = [
        (AttributeName(unchecked: "name"), .text("Zoë 客户 😀 e\u{301}")),
        (AttributeName(unchecked: "email"), .makeSet(["b@x.org", "a@x.org", "ü@x.org"])),
        (AttributeName(unchecked: "nickname"), .text("")),
        (AttributeName(unchecked: "tags"), .set([])),
        (AttributeName(unchecked: "consent:email:marketing:company"), .consent(fullConsent)),
        (AttributeName(unchecked: "consent:sms:service:unit=retail"), .consent(bareConsent)),
        (AttributeName(unchecked: "interaction:e1"), .interaction(event)),
        (AttributeName(unchecked: "interaction:e2"), .interaction(InteractionEvent(type: "call", channel: "phone", atMillis: 0))),
        (AttributeName(unchecked: "phone"), nil),
        (AttributeName(unchecked: "erasure:request"), .erasureRequest(erasureRequest)),
        (AttributeName(unchecked: "erasure:ack"), .erasureAcknowledgement(erasureAcknowledgement)),
    ]

    static let erasureRequest = try! ErasureRequest(
        requestedAtMillis: 1_800_000_000_000, records: [record, RecordKey(unchecked: UnitID(unchecked: "insurance"), localId: "I-3")],
        salt: (0..<16).map { UInt8($0) }, identifierHashes: [(0..<32).map { UInt8(200 - $0) }, (0..<32).map { UInt8($0) }],
        reference: "GDPR Art. 17 ticket 4711 ü")

    static let erasureAcknowledgement = ErasureAcknowledgement(
        erasedAtMillis: 1_800_000_000_500, records: [record], entriesRemoved: 12, leavesRedacted: 300, holds: ["claim-17", "audit"])

    static let write = try! RecordWrite(record: record, hlc: HLC(rawValue: UInt64.max), changes: changes)
    static let deletionOnly = try! RecordWrite(
        record: RecordKey(unchecked: UnitID(unchecked: "n"), localId: "x"), hlc: .zero,
        changes: [(AttributeName(unchecked: "a"), nil)])

    static var state: RecordState {
        var state = RecordState()
        for (index, change) in changes.enumerated() {
            state.merge(change.attribute, Register(hlc: HLC(rawValue: UInt64(index) * 0x1_0001), value: change.value))
        }
        return state
    }

    /// Valid record-write encodings to corrupt: the fixed samples and seeded random writes.
    static var writeEncodings: [[UInt8]] {
        var g = SeededGenerator(seed: 77)
        return [EntryCodec.encode(write), EntryCodec.encode(deletionOnly)]
            + (0..<24).map { _ in EntryCodec.encode(Gen.recordWrite(&g)) }
    }

    /// Valid record-state encodings to corrupt.
    static var stateEncodings: [[UInt8]] {
        var g = SeededGenerator(seed: 78)
        return [EntryCodec.encode(state), EntryCodec.encode(RecordState())]
            + (0..<8).map { _ in EntryCodec.encode(Gen.recordState(&g)) }
    }
}

@Suite("Entry codec: round trips and determinism")
struct EntryCodecTests {
    @Test("A record write with every kind of value round-trips")
    func writeRoundTrip() throws {
        for write in [Samples.write, Samples.deletionOnly] {
            let bytes = EntryCodec.encode(write)
            let decoded = try EntryCodec.decodeRecordWrite(bytes)
            #expect(decoded == write)
            #expect(decoded.record.localId.utf8.elementsEqual(write.record.localId.utf8))
            #expect(EntryCodec.encode(decoded) == bytes)
            #expect(decoded.changes.map(\.attribute) == write.changes.map(\.attribute))
        }
        let decoded = try EntryCodec.decodeRecordWrite(EntryCodec.encode(Samples.write))
        #expect(decoded.changes.contains { $0.attribute.rawValue == "phone" && $0.value == nil })
    }

    @Test("Encoding through a shared writer matches the standalone encoding")
    func writerEncoding() throws {
        var writer = BinaryWriter()
        EntryCodec.encode(Samples.write, to: &writer)
        EntryCodec.encode(Samples.deletionOnly, to: &writer)
        #expect(writer.bytes == EntryCodec.encode(Samples.write) + EntryCodec.encode(Samples.deletionOnly))
        var reader = BinaryReader(writer.bytes)
        #expect(try EntryCodec.readRecordWrite(from: &reader) == Samples.write)
        #expect(try EntryCodec.readRecordWrite(from: &reader) == Samples.deletionOnly)
        #expect(reader.isAtEnd)
    }

    @Test("Seeded random record writes and record states round-trip byte for byte")
    func randomRoundTrips() throws {
        for seed in UInt64(0)..<1_000 {
            var g = SeededGenerator(seed: seed)
            let write = Gen.recordWrite(&g)
            let bytes = EntryCodec.encode(write)
            let decoded = try EntryCodec.decodeRecordWrite(bytes)
            #expect(decoded == write && EntryCodec.encode(decoded) == bytes, "seed \(seed)")

            let state = Gen.recordState(&g)
            let stateBytes = EntryCodec.encode(state)
            let decodedState = try EntryCodec.decodeRecordState(stateBytes)
            #expect(decodedState == state && EntryCodec.encode(decodedState) == stateBytes, "seed \(seed)")
        }
    }

    @Test("A record state with every kind of value round-trips, and the empty state too")
    func stateRoundTrip() throws {
        for state in [Samples.state, RecordState()] {
            let bytes = EntryCodec.encode(state)
            let decoded = try EntryCodec.decodeRecordState(bytes)
            #expect(decoded == state)
            #expect(EntryCodec.encode(decoded) == bytes)
        }
        #expect(EntryCodec.encode(RecordState()) == [EntryCodec.formatVersion, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("Changes given in any order encode to identical bytes")
    func writeOrderIndependence() throws {
        let expected = EntryCodec.encode(Samples.write)
        var g = SeededGenerator(seed: 5)
        for _ in 0..<200 {
            let shuffled = Samples.changes.shuffled(using: &g)
            let write = try RecordWrite(record: Samples.record, hlc: Samples.write.hlc, changes: shuffled)
            #expect(write == Samples.write)
            #expect(EntryCodec.encode(write) == expected)
        }
    }

    @Test("Record states built in any order encode to identical bytes")
    func stateOrderIndependence() {
        let registers = Samples.state.registers.map { (attribute: $0.key, register: $0.value) }
        let expected = EntryCodec.encode(Samples.state)
        var g = SeededGenerator(seed: 6)
        for round in 0..<100 {
            var state = RecordState()
            for item in registers.shuffled(using: &g) { state.merge(item.attribute, item.register) }
            #expect(EntryCodec.encode(state) == expected, "round \(round)")
            var dictionary: [AttributeName: Register] = [:]
            dictionary.reserveCapacity(round * 10)
            for item in registers.shuffled(using: &g) { dictionary[item.attribute] = item.register }
            #expect(EntryCodec.encode(RecordState(registers: dictionary)) == expected, "round \(round)")
        }
    }

    @Test("Equal values encode to equal bytes; sets and interaction attributes are order-independent")
    func valueDeterminism() {
        func bytes(_ value: Value?) -> [UInt8] {
            var writer = BinaryWriter()
            EntryCodec.writeValue(value, to: &writer)
            return writer.bytes
        }
        #expect(bytes(.makeSet(["b", "a", "c", "a"])) == bytes(.makeSet(["c", "b", "a"])))
        #expect(Value.makeSet(["b", "a", "b"]) == .set(["a", "b"]))
        let first = InteractionEvent(type: "t", channel: "c", atMillis: 1, attributes: ["b": "2", "a": "1"])
        let second = InteractionEvent(type: "t", channel: "c", atMillis: 1, attributes: ["a": "1", "b": "2"])
        #expect(first == second && bytes(.interaction(first)) == bytes(.interaction(second)))
        #expect(first.attributes.map(\.key) == ["a", "b"])
        #expect(bytes(nil) == [0])
        #expect(bytes(.text("")) != bytes(nil))
        #expect(bytes(.set([])) != bytes(.text("")))
    }

    @Test("Sets are ordered and deduplicated by UTF-8 bytes, whatever the input order")
    func setUsesBytes() throws {
        // "é" precomposed and decomposed: equal as Swift strings, different bytes.
        let one = Value.makeSet(["\u{E9}", "e\u{301}", "z"])
        let other = Value.makeSet(["z", "e\u{301}", "\u{E9}"])
        var a = BinaryWriter(), b = BinaryWriter()
        EntryCodec.writeValue(one, to: &a)
        EntryCodec.writeValue(other, to: &b)
        #expect(a.bytes == b.bytes)
        guard case .set(let items) = one else {
            Issue.record("not a set")
            return
        }
        #expect(items.map { Array($0.utf8) } == [Array("e\u{301}".utf8), Array("z".utf8), Array("\u{E9}".utf8)])
        var reader = BinaryReader(a.bytes)
        let decoded = try EntryCodec.readValue(from: &reader)
        #expect(decoded == one)
    }

    @Test("Byte-wise order puts upper case before lower case and ASCII before other scripts")
    func byteWiseOrder() throws {
        let write = try RecordWrite(
            record: Samples.record, hlc: .zero,
            changes: [(AttributeName(unchecked: "b"), nil), (AttributeName(unchecked: "Z"), nil), (AttributeName(unchecked: "a"), nil)])
        #expect(write.changes.map(\.attribute.rawValue) == ["Z", "a", "b"])
        #expect(Value.makeSet(["é", "z", "Z"]) == .set(["Z", "z", "é"]))
    }

    @Test("RecordWrite refuses an empty change list and a repeated attribute")
    func recordWriteValidation() {
        let empty = #expect(throws: ModelError.self) {
            try RecordWrite(record: Samples.record, hlc: .zero, changes: [])
        }
        #expect(empty?.code == .malformed)
        let repeated = #expect(throws: ModelError.self) {
            try RecordWrite(
                record: Samples.record, hlc: .zero,
                changes: [(AttributeName(unchecked: "a"), .text("1")), (AttributeName(unchecked: "a"), nil)])
        }
        #expect(repeated?.code == .malformed)
    }

    @Test("A write's entries carry its clock reading and the given author")
    func writeEntries() {
        let author = UnitID(unchecked: "insurance")
        let entries = Samples.write.entries(author: author)
        #expect(entries.count == Samples.changes.count)
        for (entry, change) in zip(entries, Samples.write.changes) {
            #expect(entry.key == EntryKey(record: Samples.record, attribute: change.attribute, author: author))
            #expect(entry.register == Register(hlc: Samples.write.hlc, value: change.value))
        }
    }
}
