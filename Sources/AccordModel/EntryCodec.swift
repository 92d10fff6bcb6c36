/// The canonical binary encoding of values, record writes (batch leaves) and record states
/// (stored rows). Encoding is deterministic: the same value always gives the same bytes, and the
/// decoder accepts only that form (sorted, unique, minimal), so hashes of encodings are stable.
public enum EntryCodec {
    /// The version byte that starts every record write and record state.
    public static let formatVersion: UInt8 = 1

    private enum Tag: UInt8 {
        case deletion = 0, text = 1, set = 2, consent = 3, interaction = 4, erasureRequest = 5, erasureAcknowledgement = 6
    }

    // MARK: Values

    /// Appends a value (or a deletion, for `nil`).
    public static func writeValue(_ value: Value?, to writer: inout BinaryWriter) {
        guard let value else {
            writer.writeUInt8(Tag.deletion.rawValue)
            return
        }
        switch value {
        case .text(let text):
            writer.writeUInt8(Tag.text.rawValue)
            writer.writeString(text)
        case .set(let items):
            writer.writeUInt8(Tag.set.rawValue)
            writer.writeVarint(UInt64(items.count))
            for item in items { writer.writeString(item) }
        case .consent(let decision):
            writer.writeUInt8(Tag.consent.rawValue)
            writer.writeUInt8(decision.choice.rawValue)
            writer.writeOptional(decision.frequency) { $0.writeString($1) }
            writer.writeBool(decision.expressed)
            writer.writeInt64(decision.decidedAtMillis)
            writer.writeString(decision.method)
            writer.writeString(decision.noticeVersion)
            writer.writeBytes(decision.noticeHash)
            writer.writeOptional(decision.expiresAtMillis) { $0.writeInt64($1) }
            writer.writeString(decision.collectedBy.rawValue)
        case .interaction(let event):
            writer.writeUInt8(Tag.interaction.rawValue)
            writer.writeString(event.type)
            writer.writeString(event.channel)
            writer.writeInt64(event.atMillis)
            writer.writeVarint(UInt64(event.attributes.count))
            for pair in event.attributes {
                writer.writeString(pair.key)
                writer.writeString(pair.value)
            }
        case .erasureRequest(let request):
            writer.writeUInt8(Tag.erasureRequest.rawValue)
            writeErasureRequest(request, to: &writer)
        case .erasureAcknowledgement(let acknowledgement):
            writer.writeUInt8(Tag.erasureAcknowledgement.rawValue)
            writeErasureAcknowledgement(acknowledgement, to: &writer)
        }
    }

    /// Reads a value written by ``writeValue(_:to:)``; `nil` is a deletion.
    public static func readValue(from reader: inout BinaryReader) throws -> Value? {
        let tagOffset = reader.offset
        let rawTag = try reader.readUInt8("value tag")
        guard let tag = Tag(rawValue: rawTag) else {
            throw ModelError(.malformed, "unknown value tag \(rawTag)", offset: tagOffset)
        }
        switch tag {
        case .deletion:
            return nil
        case .text:
            return .text(try reader.readString("text value"))
        case .set:
            let count = try reader.readCount("set size")
            var items: [String] = []
            items.reserveCapacity(count)
            for _ in 0..<count {
                let itemOffset = reader.offset
                let item = try reader.readString("set item")
                if let last = items.last, !Identifier.less(last, item) {
                    throw ModelError(.malformed, "set items must be sorted and unique", offset: itemOffset)
                }
                items.append(item)
            }
            return .set(items)
        case .consent:
            let choiceOffset = reader.offset
            guard let choice = ConsentDecision.Choice(rawValue: try reader.readUInt8("consent choice")) else {
                throw ModelError(.malformed, "consent choice must be 1 (opt-in) or 2 (opt-out)", offset: choiceOffset)
            }
            let frequency = try reader.readOptional("frequency") { try $0.readString("frequency") }
            let expressed = try reader.readBool("expressed flag")
            let decidedAt = try reader.readInt64("decision time")
            let method = try reader.readString("collection method")
            let noticeVersion = try reader.readString("notice version")
            let hashOffset = reader.offset
            let noticeHash = try reader.readBytes("notice hash")
            guard noticeHash.isEmpty || noticeHash.count == 32 else {
                throw ModelError(.malformed, "notice hash must be empty or 32 bytes", offset: hashOffset)
            }
            let expires = try reader.readOptional("expiry") { try $0.readInt64("expiry") }
            let collectedBy = try readUnit(&reader, "collecting unit")
            return .consent(ConsentDecision(
                choice: choice, frequency: frequency, expressed: expressed, decidedAtMillis: decidedAt,
                method: method, noticeVersion: noticeVersion, noticeHash: noticeHash, expiresAtMillis: expires,
                collectedBy: collectedBy))
        case .interaction:
            let type = try reader.readString("interaction type")
            let channel = try reader.readString("interaction channel")
            let at = try reader.readInt64("interaction time")
            let count = try reader.readCount("interaction attribute count", minElementBytes: 2)
            var pairs: [(key: String, value: String)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                let keyOffset = reader.offset
                let key = try reader.readString("interaction attribute key")
                if let last = pairs.last, !Identifier.less(last.key, key) {
                    throw ModelError(.malformed, "interaction attributes must be sorted by key and unique", offset: keyOffset)
                }
                pairs.append((key: key, value: try reader.readString("interaction attribute value")))
            }
            return .interaction(InteractionEvent(type: type, channel: channel, atMillis: at, sortedAttributes: pairs))
        case .erasureRequest:
            return .erasureRequest(try readErasureRequest(from: &reader))
        case .erasureAcknowledgement:
            return .erasureAcknowledgement(try readErasureAcknowledgement(from: &reader))
        }
    }

    // MARK: Record writes (leaf bodies)

    /// The canonical bytes of a record write.
    public static func encode(_ write: RecordWrite) -> [UInt8] {
        var writer = BinaryWriter(capacity: 64 + write.changes.count * 32)
        encode(write, to: &writer)
        return writer.bytes
    }

    /// Appends the canonical bytes of a record write.
    public static func encode(_ write: RecordWrite, to writer: inout BinaryWriter) {
        writeRecordWriteHeader(record: write.record, hlc: write.hlc, changeCount: write.changes.count, to: &writer)
        for change in write.changes { writeChange(change.attribute, change.value, to: &writer) }
    }

    /// Appends the start of a record write; `changeCount` calls of ``writeChange(_:_:to:)`` must
    /// follow, in attribute order without repeats (the decoder refuses anything else).
    public static func writeRecordWriteHeader(record: RecordKey, hlc: HLC, changeCount: Int, to writer: inout BinaryWriter) {
        writer.writeUInt8(formatVersion)
        writer.writeString(record.unit.rawValue)
        writer.writeString(record.localId)
        writer.writeUInt64(hlc.rawValue)
        writer.writeVarint(UInt64(changeCount))
    }

    /// Appends one change of a record write.
    public static func writeChange(_ attribute: AttributeName, _ value: Value?, to writer: inout BinaryWriter) {
        writer.writeString(attribute.rawValue)
        writeValue(value, to: &writer)
    }

    /// Appends the start of a record state; `count` calls of ``writeRegister(_:_:base:to:)`` must
    /// follow, in attribute order without repeats, with `base` the greatest clock reading among
    /// them (the decoder refuses anything else).
    public static func writeRecordStateHeader(count: Int, base: HLC, to writer: inout BinaryWriter) {
        writer.writeUInt8(formatVersion)
        writer.writeUInt64(base.rawValue)
        writer.writeVarint(UInt64(count))
    }

    /// Appends one register of a record state: its clock reading is stored as the distance below
    /// `base`, one byte when the record was written at once.
    public static func writeRegister(_ attribute: AttributeName, _ register: Register, base: HLC, to writer: inout BinaryWriter) {
        writer.writeString(attribute.rawValue)
        writer.writeVarint(base.rawValue - register.hlc.rawValue)
        writeValue(register.value, to: &writer)
    }

    /// Decodes a record write, refusing anything but the canonical form.
    /// - Throws: ``ModelError`` naming the byte offset.
    public static func decodeRecordWrite(_ bytes: [UInt8], limits: BinaryReader.Limits = .init()) throws -> RecordWrite {
        var reader = BinaryReader(bytes, limits: limits)
        let write = try readRecordWrite(from: &reader)
        try reader.expectEnd("record write")
        return write
    }

    /// Reads a record write from a reader.
    public static func readRecordWrite(from reader: inout BinaryReader) throws -> RecordWrite {
        try readVersion(&reader, "record write")
        let unit = try readUnit(&reader, "record unit")
        let localIdOffset = reader.offset
        let localId = try reader.readString("local id")
        guard Identifier.isValidLocalId(localId) else {
            throw ModelError(.malformed, "local id must be 1-128 bytes without control characters", offset: localIdOffset)
        }
        let hlc = HLC(rawValue: try reader.readUInt64("clock reading"))
        let countOffset = reader.offset
        let count = try reader.readCount("change count", minElementBytes: 2)
        guard count > 0 else { throw ModelError(.malformed, "a record write needs at least one change", offset: countOffset) }
        var changes: [(attribute: AttributeName, value: Value?)] = []
        changes.reserveCapacity(count)
        for _ in 0..<count {
            let nameOffset = reader.offset
            let attribute = try readAttribute(&reader)
            if let last = changes.last, !(last.attribute < attribute) {
                throw ModelError(.malformed, "changes must be sorted by attribute and unique", offset: nameOffset)
            }
            changes.append((attribute: attribute, value: try readValue(from: &reader)))
        }
        return RecordWrite(record: RecordKey(unchecked: unit, localId: localId), hlc: hlc, sortedChanges: changes)
    }

    // MARK: Record states (stored rows)

    /// The canonical bytes of a record state.
    public static func encode(_ state: RecordState) -> [UInt8] {
        var writer = BinaryWriter(capacity: 32 + state.entries.count * 40)
        let base = state.entries.map(\.register.hlc).max() ?? .zero
        writeRecordStateHeader(count: state.entries.count, base: base, to: &writer)
        for entry in state.entries { writeRegister(entry.attribute, entry.register, base: base, to: &writer) }
        return writer.bytes
    }

    /// Decodes a record state.
    /// - Throws: ``ModelError`` naming the byte offset.
    public static func decodeRecordState(_ bytes: [UInt8]) throws -> RecordState {
        var reader = BinaryReader(bytes)
        try readVersion(&reader, "record state")
        let baseOffset = reader.offset
        let base = try reader.readUInt64("base clock reading")
        let count = try reader.readCount("register count", minElementBytes: 3)
        var entries: [AttributeRegister] = []
        entries.reserveCapacity(count)
        var previous: AttributeName?
        var sawBase = false
        for _ in 0..<count {
            let nameOffset = reader.offset
            let attribute = try readAttribute(&reader)
            if let previous, !(previous < attribute) {
                throw ModelError(.malformed, "registers must be sorted by attribute and unique", offset: nameOffset)
            }
            previous = attribute
            let deltaOffset = reader.offset
            let delta = try reader.readVarint("clock distance")
            guard delta <= base else {
                throw ModelError(.malformed, "clock distance is larger than the base reading", offset: deltaOffset)
            }
            if delta == 0 { sawBase = true }
            let hlc = HLC(rawValue: base - delta)
            entries.append(AttributeRegister(attribute: attribute, register: Register(hlc: hlc, value: try readValue(from: &reader))))
        }
        guard sawBase || (count == 0 && base == 0) else {
            throw ModelError(.malformed, "base clock reading is not the greatest register's", offset: baseOffset)
        }
        try reader.expectEnd("record state")
        return RecordState(sortedEntries: entries)
    }

    // MARK: Helpers

    private static func readVersion(_ reader: inout BinaryReader, _ what: String) throws {
        let offset = reader.offset
        let version = try reader.readUInt8("\(what) version")
        guard version == formatVersion else {
            throw ModelError(.unsupportedVersion, "\(what) has encoding version \(version), this build reads \(formatVersion)", offset: offset)
        }
    }

    static func readUnit(_ reader: inout BinaryReader, _ what: String) throws -> UnitID {
        let offset = reader.offset
        let text = try reader.readString(what)
        guard Identifier.isValidName(text) else {
            throw ModelError(.malformed, "\(what) is not a valid unit id", offset: offset)
        }
        return UnitID(unchecked: text)
    }

    private static func readAttribute(_ reader: inout BinaryReader) throws -> AttributeName {
        let offset = reader.offset
        let text = try reader.readString("attribute name")
        guard Identifier.isValidToken(text, maxBytes: 255) else {
            throw ModelError(.malformed, "attribute name is not valid", offset: offset)
        }
        return AttributeName(unchecked: text)
    }
}
