import AccordModel
import AccordSampleData

/// Random model values over deliberately small key and value spaces, so that collisions
/// (same register, same clock reading, same value) are frequent.
enum Gen {
    static let units = ["north", "south", "east"].map { UnitID(unchecked: $0) }
    /// Local ids include a precomposed and a decomposed "é": equal as Swift strings, different bytes.
    static let localIds = ["c1", "\u{E9}", "e\u{301}", "客户-7", "Z"]
    static let attributes = ["email", "name", "consent:email:marketing:company", "interaction:e1"]
        .map { AttributeName(unchecked: $0) }
    static let texts = ["", "a", "b", "\u{E9}", "e\u{301}", "日本", "😀", "A"]
    static let frequencies: [String?] = [nil, "monthly", "weekly"]
    static let methods = ["web-form", "paper"]
    static let noticeVersions = ["v1", "v2-ü"]
    static let noticeHash: [UInt8] = (0..<32).map { UInt8($0) }
    static let expiries: [Int64?] = [nil, 0, Int64.max, Int64.min]
    static let eventTypes = ["purchase", "call"]
    static let eventChannels = ["web", "store"]
    static let eventKeys = ["sku", "amount", "ü"]

    static func pick<T>(_ items: [T], _ g: inout SeededGenerator) -> T { items[Int.random(in: 0..<items.count, using: &g)] }

    static func unit(_ g: inout SeededGenerator) -> UnitID { pick(units, &g) }

    /// Five records; two of them differ only in the Unicode normalization of their local id.
    static let records = [
        (units[0], localIds[0]), (units[0], localIds[1]), (units[0], localIds[2]), (units[1], localIds[0]),
        (units[1], localIds[3]),
    ].map { RecordKey(unchecked: $0.0, localId: $0.1) }

    static func record(_ g: inout SeededGenerator) -> RecordKey { pick(records, &g) }

    static func attribute(_ g: inout SeededGenerator) -> AttributeName { pick(attributes, &g) }

    /// Clock readings from a 3 × 3 grid, so equal readings are common.
    static func hlc(_ g: inout SeededGenerator) -> HLC {
        HLC(physicalMillis: UInt64.random(in: 1_000...1_002, using: &g), logical: UInt16.random(in: 0...2, using: &g))
    }

    /// A value of any kind, or `nil` (a deletion).
    static func value(_ g: inout SeededGenerator) -> Value? {
        switch Int.random(in: 0..<5, using: &g) {
        case 0: return nil
        case 1: return .text(pick(texts, &g))
        case 2: return Value.makeSet((0..<Int.random(in: 0...3, using: &g)).map { _ in pick(texts, &g) })
        case 3: return .consent(consent(&g))
        default: return .interaction(interaction(&g))
        }
    }

    static func consent(_ g: inout SeededGenerator) -> ConsentDecision {
        ConsentDecision(
            choice: Bool.random(using: &g) ? .optIn : .optOut,
            frequency: pick(frequencies, &g),
            expressed: Bool.random(using: &g),
            decidedAtMillis: Int64.random(in: -1...1, using: &g),
            method: pick(methods, &g),
            noticeVersion: pick(noticeVersions, &g),
            noticeHash: Bool.random(using: &g) ? [] : noticeHash,
            expiresAtMillis: pick(expiries, &g),
            collectedBy: unit(&g))
    }

    static func interaction(_ g: inout SeededGenerator) -> InteractionEvent {
        var attributes: [String: String] = [:]
        for key in eventKeys where Bool.random(using: &g) { attributes[key] = pick(texts, &g) }
        return InteractionEvent(
            type: pick(eventTypes, &g), channel: pick(eventChannels, &g),
            atMillis: Int64.random(in: 0...1, using: &g), attributes: attributes)
    }

    static func register(_ g: inout SeededGenerator) -> Register { Register(hlc: hlc(&g), value: value(&g)) }

    static func entry(_ g: inout SeededGenerator) -> Entry {
        Entry(key: EntryKey(record: record(&g), attribute: attribute(&g), author: unit(&g)), register: register(&g))
    }

    static func entryState(_ g: inout SeededGenerator) -> EntryState {
        var state = EntryState()
        for _ in 0..<Int.random(in: 0...8, using: &g) { state.merge(entry(&g)) }
        return state
    }

    /// A record write of 1 to 4 distinct attributes, in random order.
    static func recordWrite(_ g: inout SeededGenerator) -> RecordWrite {
        let chosen = attributes.shuffled(using: &g).prefix(Int.random(in: 1...attributes.count, using: &g))
        // The attributes are distinct, so the initializer cannot throw.
        return try! RecordWrite(record: record(&g), hlc: hlc(&g), changes: chosen.map { (attribute: $0, value: value(&g)) })
    }

    static func recordState(_ g: inout SeededGenerator) -> RecordState {
        var state = RecordState()
        for _ in 0..<Int.random(in: 0...6, using: &g) { state.merge(attribute(&g), register(&g)) }
        return state
    }
}

/// The canonical bytes of a whole replica, so convergence is checked byte for byte and not only
/// with `==`: records and authors in byte-wise order, each record state in its canonical encoding.
func digest(_ state: EntryState) -> [UInt8] {
    var writer = BinaryWriter()
    for (record, byAuthor) in state.records.sorted(by: { $0.key < $1.key }) {
        for (author, recordState) in byAuthor.sorted(by: { $0.key < $1.key }) {
            writer.writeString(record.unit.rawValue)
            writer.writeString(record.localId)
            writer.writeString(author.rawValue)
            writer.writeRaw(EntryCodec.encode(recordState))
        }
    }
    return writer.bytes
}

/// The canonical bytes of a register.
func registerBytes(_ register: Register) -> [UInt8] {
    var writer = BinaryWriter()
    writer.writeUInt64(register.hlc.rawValue)
    EntryCodec.writeValue(register.value, to: &writer)
    return writer.bytes
}

/// What a decoding attempt did.
enum Outcome<T> {
    case decoded(T)
    case modelError(ModelError)
    case otherError(any Error)
}

/// Runs a decoder and classifies the result.
func attempt<T>(_ body: () throws -> T) -> Outcome<T> {
    do { return .decoded(try body()) } catch let error as ModelError { return .modelError(error) } catch {
        return .otherError(error)
    }
}
