import AccordHTTP
import AccordModel

/// Records, values and consent entries as JSON.
enum RecordJSON {
    /// A record with every author's entries, sorted by attribute then author.
    static func record(_ key: RecordKey, states: [UnitID: RecordState]) -> JSON {
        var entries: [(String, String, JSON)] = []
        for (author, state) in states {
            for item in state.sortedRegisters {
                var entry: [String: JSON] = [
                    "attribute": .string(item.attribute.rawValue), "author": .string(author.rawValue),
                    "clock": .string(item.register.hlc.description),
                    "writtenAt": .string(Timestamp.iso(millis: Int64(item.register.hlc.physicalMillis))),
                    "value": value(item.register.value),
                ]
                if item.register.value == nil { entry["deleted"] = true }
                entries.append((item.attribute.rawValue, author.rawValue, .object(entry)))
            }
        }
        entries.sort { lhs, rhs in
            lhs.0 != rhs.0 ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }
        return ["owner": .string(key.unit.rawValue), "localId": .string(key.localId), "entries": .array(entries.map(\.2))]
    }

    /// A value: a string, an array of strings, a consent decision or an interaction event; `null` for a deletion.
    static func value(_ value: Value?) -> JSON {
        switch value {
        case nil: return .null
        case .text(let text): return .string(text)
        case .set(let items): return .array(items.map { .string($0) })
        case .consent(let decision): return self.decision(decision)
        case .interaction(let event):
            return [
                "type": .string(event.type), "channel": .string(event.channel), "at": .string(Timestamp.iso(millis: event.atMillis)),
                "attributes": .object(Dictionary(event.attributes.map { ($0.key, JSON.string($0.value)) }, uniquingKeysWith: { $1 })),
            ]
        case .erasureRequest(let request):
            // The identifiers are salted hashes; their count is all a reader needs.
            return [
                "erasureRequest": [
                    "requestedAt": .string(Timestamp.iso(millis: request.requestedAtMillis)),
                    "records": .array(request.records.map { .string($0.description) }),
                    "identifiers": .int(request.identifierHashes.count), "reference": .string(request.reference),
                ],
            ]
        case .erasureAcknowledgement(let acknowledgement):
            return [
                "erasureAcknowledgement": [
                    "erasedAt": .string(Timestamp.iso(millis: acknowledgement.erasedAtMillis)),
                    "records": .array(acknowledgement.records.map { .string($0.description) }),
                    "entriesRemoved": .int(acknowledgement.entriesRemoved),
                    "leavesRedacted": .int(acknowledgement.leavesRedacted),
                    "holds": .array(acknowledgement.holds.map { .string($0) }),
                ],
            ]
        }
    }

    /// A consent decision with its evidence.
    static func decision(_ decision: ConsentDecision) -> JSON {
        var object: [String: JSON] = [
            "decision": decision.choice == .optIn ? "opt-in" : "opt-out", "expressed": .bool(decision.expressed),
            "decidedAt": .string(Timestamp.iso(millis: decision.decidedAtMillis)), "method": .string(decision.method),
            "noticeVersion": .string(decision.noticeVersion), "collectedBy": .string(decision.collectedBy.rawValue),
        ]
        if let frequency = decision.frequency { object["frequency"] = .string(frequency) }
        if let expires = decision.expiresAtMillis { object["expiresAt"] = .string(Timestamp.iso(millis: expires)) }
        if !decision.noticeHash.isEmpty { object["noticeSHA256"] = .string(decision.noticeHash.map { hex($0) }.joined()) }
        return .object(object)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
