import AccordModel
import AccordSampleData
import Testing

/// Hostile and damaged input: every failure is a ``ModelError`` with an offset inside the input,
/// never a crash, and the decoder accepts exactly one byte string per value.
@Suite("Entry codec: malformed input")
struct EntryCodecMalformedTests {
    // MARK: Helpers

    /// Decodes a record write that must fail; checks the error is a ModelError with an offset in the input.
    @discardableResult
    private func writeFailure(
        _ bytes: [UInt8], _ note: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) -> ModelError? {
        failure(bytes, note, sourceLocation) { try EntryCodec.decodeRecordWrite($0) }
    }

    /// Decodes a record state that must fail.
    @discardableResult
    private func stateFailure(
        _ bytes: [UInt8], _ note: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) -> ModelError? {
        failure(bytes, note, sourceLocation) { try EntryCodec.decodeRecordState($0) }
    }

    private func failure<T>(
        _ bytes: [UInt8], _ note: String, _ sourceLocation: SourceLocation, _ decode: ([UInt8]) throws -> T
    ) -> ModelError? {
        switch attempt({ try decode(bytes) }) {
        case .decoded:
            Issue.record("decoded malformed input \(note)", sourceLocation: sourceLocation)
            return nil
        case .otherError(let error):
            Issue.record("threw \(error), not a ModelError \(note)", sourceLocation: sourceLocation)
            return nil
        case .modelError(let error):
            checkOffset(error, bytes, note, sourceLocation)
            return error
        }
    }

    private func checkOffset(_ error: ModelError, _ bytes: [UInt8], _ note: String, _ sourceLocation: SourceLocation) {
        guard let offset = error.offset else {
            Issue.record("no offset in \(error) \(note)", sourceLocation: sourceLocation)
            return
        }
        if !(0...bytes.count).contains(offset) {
            Issue.record("offset \(offset) outside 0...\(bytes.count) in \(error) \(note)", sourceLocation: sourceLocation)
        }
    }

    /// A record write up to and including its clock reading.
    private func header(version: UInt8 = 1, unit: String = "north", localId: [UInt8] = Array("c1".utf8)) -> BinaryWriter {
        var writer = BinaryWriter()
        writer.writeUInt8(version)
        writer.writeString(unit)
        writer.writeBytes(localId)
        writer.writeUInt64(7)
        return writer
    }

    /// A record write with one change to `email` whose value bytes are `valueBytes`.
    private func writeWithValue(_ valueBytes: [UInt8]) -> [UInt8] {
        var writer = header()
        writer.writeVarint(1)
        writer.writeString("email")
        writer.writeRaw(valueBytes)
        return writer.bytes
    }

    private func valid(_ bytes: [UInt8]) -> Bool { (try? EntryCodec.decodeRecordWrite(bytes)) != nil }

    // MARK: Systematic corruption of valid encodings

    @Test("Every truncation of a valid encoding is refused with a ModelError")
    func truncations() {
        for (index, bytes) in Samples.writeEncodings.enumerated() {
            for length in 0..<bytes.count {
                let error = writeFailure(Array(bytes[..<length]), "write \(index), prefix \(length)")
                #expect(error?.code == .truncated, "write \(index), prefix \(length): \(String(describing: error))")
            }
        }
        for (index, bytes) in Samples.stateEncodings.enumerated() {
            for length in 0..<bytes.count {
                let error = stateFailure(Array(bytes[..<length]), "state \(index), prefix \(length)")
                #expect(error?.code == .truncated, "state \(index), prefix \(length): \(String(describing: error))")
            }
        }
    }

    @Test("A byte appended to a valid encoding is refused with trailingBytes")
    func trailingBytes() {
        for (index, bytes) in Samples.writeEncodings.enumerated() {
            for extra: UInt8 in [0, 1, 0x80, 0xFF] {
                let error = writeFailure(bytes + [extra], "write \(index)")
                #expect(error?.code == .trailingBytes)
                #expect(error?.offset == bytes.count)
            }
        }
        for (index, bytes) in Samples.stateEncodings.enumerated() {
            #expect(stateFailure(bytes + [0], "state \(index)")?.code == .trailingBytes)
        }
    }

    @Test("Every single-bit flip is refused or decodes to a different value with exactly the flipped bytes")
    func bitFlipsAreCanonical() {
        func check<T: Equatable>(_ bytes: [UInt8], _ name: String, _ decode: ([UInt8]) throws -> T, _ encode: (T) -> [UInt8]) {
            guard let original = try? decode(bytes) else {
                Issue.record("\(name) does not decode")
                return
            }
            for bit in 0..<bytes.count * 8 {
                var flipped = bytes
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                switch attempt({ try decode(flipped) }) {
                case .decoded(let value):
                    #expect(value != original, "\(name), bit \(bit): flip decodes to the same value")
                    #expect(encode(value) == flipped, "\(name), bit \(bit): two encodings of one value")
                case .modelError(let error):
                    checkOffset(error, flipped, "\(name), bit \(bit)", #_sourceLocation)
                case .otherError(let error):
                    Issue.record("\(name), bit \(bit): \(error)")
                }
            }
        }
        for (index, bytes) in Samples.writeEncodings.enumerated() {
            check(bytes, "write \(index)", { try EntryCodec.decodeRecordWrite($0) }, { EntryCodec.encode($0) })
        }
        for (index, bytes) in Samples.stateEncodings.enumerated() {
            check(bytes, "state \(index)", { try EntryCodec.decodeRecordState($0) }, { EntryCodec.encode($0) })
        }
    }

    @Test("20,000 seeded random and mutated byte strings never crash; whatever decodes is canonical")
    func randomBytes() {
        let bases = Samples.writeEncodings + Samples.stateEncodings
        var decodedCount = 0
        for seed in UInt64(0)..<20_000 {
            var g = SeededGenerator(seed: seed)
            var bytes: [UInt8]
            if seed % 2 == 0 {
                // Pure noise, half of it behind a valid version byte.
                bytes = (0..<Int.random(in: 0...96, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
                if seed % 4 == 0 { bytes.insert(EntryCodec.formatVersion, at: 0) }
            } else {
                // A valid encoding with a few bytes overwritten, inserted or removed.
                bytes = Gen.pick(bases, &g)
                for _ in 0..<Int.random(in: 1...3, using: &g) {
                    let position = Int.random(in: 0..<max(bytes.count, 1), using: &g)
                    switch Int.random(in: 0..<3, using: &g) {
                    case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &g)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &g), at: min(position, bytes.count))
                    default: if !bytes.isEmpty { bytes.remove(at: position) }
                    }
                }
            }
            switch attempt({ try EntryCodec.decodeRecordWrite(bytes) }) {
            case .decoded(let write):
                decodedCount += 1
                #expect(EntryCodec.encode(write) == bytes, "seed \(seed): write decoded from non-canonical bytes")
            case .modelError(let error): checkOffset(error, bytes, "seed \(seed)", #_sourceLocation)
            case .otherError(let error): Issue.record("seed \(seed): \(error)")
            }
            switch attempt({ try EntryCodec.decodeRecordState(bytes) }) {
            case .decoded(let state):
                decodedCount += 1
                #expect(EntryCodec.encode(state) == bytes, "seed \(seed): state decoded from non-canonical bytes")
            case .modelError(let error): checkOffset(error, bytes, "seed \(seed)", #_sourceLocation)
            case .otherError(let error): Issue.record("seed \(seed): \(error)")
            }
        }
        #expect(decodedCount > 0, "some mutations should still decode, or the mutator is too blunt")
    }

    // MARK: Specific refusals

    @Test("The control encoding decodes, so each refusal below is caused by its one defect")
    func controlDecodes() {
        var text = BinaryWriter()
        text.writeUInt8(1)
        text.writeString("x")
        #expect(valid(writeWithValue(text.bytes)))
    }

    @Test("Non-minimal varints are refused")
    func nonMinimalVarint() {
        // Change count 1 written as 0x81 0x00.
        var writer = header()
        writer.writeRaw([0x81, 0x00])
        writer.writeString("email")
        writer.writeUInt8(0)
        #expect(writeFailure(writer.bytes)?.code == .malformed)
        // A string length 1 written as 0x81 0x80 0x00.
        #expect(writeFailure(writeWithValue([1, 0x81, 0x80, 0x00, 0x78]))?.code == .malformed)
        // A set count 0 written as 0x80 0x00.
        #expect(writeFailure(writeWithValue([2, 0x80, 0x00]))?.code == .malformed)
        // Over 64 bits.
        #expect(writeFailure(writeWithValue([1] + [UInt8](repeating: 0xFF, count: 9) + [0x02]))?.code == .malformed)
        #expect(writeFailure(writeWithValue([1] + [UInt8](repeating: 0xFF, count: 11)))?.code == .malformed)
    }

    @Test("Unsorted or repeated set items, interaction keys and attributes are refused")
    func unsorted() {
        var set = BinaryWriter()
        set.writeUInt8(2)
        set.writeVarint(2)
        set.writeString("b")
        let secondItem = set.bytes.count
        set.writeString("a")
        let error = writeFailure(writeWithValue(set.bytes))
        #expect(error?.code == .malformed)
        #expect(error?.offset == writeWithValue([]).count + secondItem)

        var repeated = BinaryWriter()
        repeated.writeUInt8(2)
        repeated.writeVarint(2)
        repeated.writeString("a")
        repeated.writeString("a")
        #expect(writeFailure(writeWithValue(repeated.bytes))?.code == .malformed)

        // A set built directly from an unsorted array is encoded as given and refused on decoding.
        let unsortedWrite = try! RecordWrite(record: Samples.record, hlc: .zero, changes: [(AttributeName(unchecked: "e"), .set(["b", "a"]))])
        #expect(writeFailure(EntryCodec.encode(unsortedWrite))?.code == .malformed)

        var event = BinaryWriter()
        event.writeUInt8(4)
        event.writeString("call")
        event.writeString("web")
        event.writeInt64(0)
        event.writeVarint(2)
        for key in ["b", "a"] {
            event.writeString(key)
            event.writeString("v")
        }
        #expect(writeFailure(writeWithValue(event.bytes))?.code == .malformed)

        var changes = header()
        changes.writeVarint(2)
        for name in ["name", "email"] {
            changes.writeString(name)
            changes.writeUInt8(0)
        }
        #expect(writeFailure(changes.bytes)?.code == .malformed)

        var registers = BinaryWriter()
        registers.writeUInt8(1)
        registers.writeUInt64(1)  // base clock reading
        registers.writeVarint(2)
        for name in ["b", "b"] {
            registers.writeString(name)
            registers.writeVarint(0)  // distance below the base
            registers.writeUInt8(0)
        }
        #expect(stateFailure(registers.bytes)?.code == .malformed)
    }

    @Test("Invalid UTF-8 is refused in values, local ids and attribute names")
    func invalidUTF8() {
        let invalid: [[UInt8]] = [[0xC3, 0x28], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80], [0xF4, 0x90, 0x80, 0x80]]
        for bytes in invalid {
            var text = BinaryWriter()
            text.writeUInt8(1)
            text.writeBytes(bytes)
            #expect(writeFailure(writeWithValue(text.bytes), "\(bytes)")?.code == .malformed)
            var id = header(localId: Array("a".utf8) + bytes)
            id.writeVarint(1)
            id.writeString("email")
            id.writeUInt8(0)
            #expect(writeFailure(id.bytes, "\(bytes)")?.code == .malformed)
        }
    }

    @Test("Huge length prefixes and counts are refused quickly")
    func hugeLengths() {
        let start = ContinuousClock.now
        for length: UInt64 in [UInt64.max, 1 << 62, 1 << 40, 1 << 17] {
            var text = BinaryWriter()
            text.writeUInt8(1)
            text.writeVarint(length)
            text.writeString("x")
            #expect(writeFailure(writeWithValue(text.bytes), "length \(length)")?.code == .limitExceeded)
            var set = BinaryWriter()
            set.writeUInt8(2)
            set.writeVarint(length)
            #expect(writeFailure(writeWithValue(set.bytes), "count \(length)")?.code == .limitExceeded)
            var state = BinaryWriter()
            state.writeUInt8(1)
            state.writeUInt64(7)  // base clock reading
            state.writeVarint(length)
            #expect(stateFailure(state.bytes, "register count \(length)")?.code == .limitExceeded)
        }
        // Under the limit but longer than the input.
        var text = BinaryWriter()
        text.writeUInt8(1)
        text.writeVarint(60_000)
        #expect(writeFailure(writeWithValue(text.bytes))?.code == .truncated)
        var count = header()
        count.writeVarint(60_000)
        #expect(writeFailure(count.bytes)?.code == .truncated)
        // Caller limits apply.
        var long = BinaryWriter()
        long.writeUInt8(1)
        long.writeString("hello")
        let limited = #expect(throws: ModelError.self) {
            try EntryCodec.decodeRecordWrite(writeWithValue(long.bytes), limits: .init(maxFieldBytes: 4))
        }
        #expect(limited?.code == .limitExceeded)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test("A wrong version byte is refused with unsupportedVersion", arguments: [UInt8(0), 2, 0x7F, 0xFF])
    func wrongVersion(version: UInt8) {
        var write = EntryCodec.encode(Samples.write)
        write[0] = version
        let writeError = writeFailure(write)
        #expect(writeError?.code == .unsupportedVersion)
        #expect(writeError?.offset == 0)
        var state = EntryCodec.encode(Samples.state)
        state[0] = version
        #expect(stateFailure(state)?.code == .unsupportedVersion)
    }

    @Test("Values outside their domain are refused")
    func outOfDomain() {
        #expect(writeFailure(writeWithValue([7]))?.code == .malformed, "unknown value tag")
        #expect(writeFailure(writeWithValue([0xFF]))?.code == .malformed, "unknown value tag")

        func consent(choice: UInt8 = 1, presence: UInt8 = 0, expressed: UInt8 = 1, hash: [UInt8] = [], unit: String = "retail") -> [UInt8] {
            var writer = BinaryWriter()
            writer.writeUInt8(3)
            writer.writeUInt8(choice)
            writer.writeUInt8(presence)
            if presence == 1 { writer.writeString("monthly") }
            writer.writeUInt8(expressed)
            writer.writeInt64(0)
            writer.writeString("web")
            writer.writeString("v1")
            writer.writeBytes(hash)
            writer.writeUInt8(0)
            writer.writeString(unit)
            return writeWithValue(writer.bytes)
        }
        #expect(valid(consent()) && valid(consent(presence: 1, hash: Array(repeating: 7, count: 32))))
        #expect(writeFailure(consent(choice: 0))?.code == .malformed, "consent choice")
        #expect(writeFailure(consent(choice: 3))?.code == .malformed, "consent choice")
        #expect(writeFailure(consent(presence: 2))?.code == .malformed, "presence byte")
        #expect(writeFailure(consent(expressed: 2))?.code == .malformed, "boolean")
        #expect(writeFailure(consent(hash: Array(repeating: 7, count: 31)))?.code == .malformed, "hash length")
        #expect(writeFailure(consent(unit: "Retail"))?.code == .malformed, "collecting unit")

        var zeroChanges = header()
        zeroChanges.writeVarint(0)
        #expect(writeFailure(zeroChanges.bytes)?.code == .malformed, "no changes")
        for (unit, localId) in [("North", "c1"), ("", "c1"), ("north", ""), ("north", "a\nb"), ("north", String(repeating: "x", count: 129))] {
            var bad = header(unit: unit, localId: Array(localId.utf8))
            bad.writeVarint(1)
            bad.writeString("email")
            bad.writeUInt8(0)
            #expect(writeFailure(bad.bytes, "\(unit)/\(localId.count)")?.code == .malformed)
        }
        for name in ["", "has space", "tab\t", "é"] {
            var bad = header()
            bad.writeVarint(1)
            bad.writeString(name)
            bad.writeUInt8(0)
            #expect(writeFailure(bad.bytes, "attribute \(name)")?.code == .malformed)
        }
    }

    @Test("Error descriptions name the code and offset, never the data")
    func errorDescriptions() {
        var text = BinaryWriter()
        text.writeUInt8(1)
        text.writeBytes([0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0xFF])  // "secret" + invalid byte
        guard let error = writeFailure(writeWithValue(text.bytes)) else { return }
        #expect(error.description.hasPrefix("malformed at offset \(error.offset ?? -1): "))
        #expect(!error.description.contains("secret"))
        #expect(error == ModelError(.malformed, "other message"))
        #expect(error != ModelError(.truncated, "other message"))
    }
}

@Suite("Record state clock base")
struct RecordStateBaseTests {
    @Test("The base reading must be the greatest register's, so each state has one encoding")
    func baseMustBeTheMaximum() throws {
        var state = RecordState()
        state.merge(AttributeName(unchecked: "a"), Register(hlc: HLC(rawValue: 10), value: .text("x")))
        state.merge(AttributeName(unchecked: "b"), Register(hlc: HLC(rawValue: 7), value: nil))
        let bytes = EntryCodec.encode(state)
        #expect(try EntryCodec.decodeRecordState(bytes) == state)
        // Raise the base by one and every distance with it: same readings, another encoding.
        var inflated = BinaryWriter()
        EntryCodec.writeRecordStateHeader(count: 2, base: HLC(rawValue: 11), to: &inflated)
        for entry in state.entries { EntryCodec.writeRegister(entry.attribute, entry.register, base: HLC(rawValue: 11), to: &inflated) }
        #expect(throws: ModelError(.malformed, "")) { try EntryCodec.decodeRecordState(inflated.bytes) }
    }
}
