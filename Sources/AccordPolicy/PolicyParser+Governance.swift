/// The governance sections of a policy: consent (with its propagation rules), interactions,
/// erasure, retention per share class and legal holds. Each error names its JSON path.
extension PolicyParser {
    func parseConsent(_ top: JSONObjectReader, shareClasses: [ShareClassDefinition], units: [UnitDefinition])
        throws(PolicyError) -> ConsentModel?
    {
        guard top.value("consent") != nil else { return nil }
        let reader = try top.object("consent")
        try reader.checkKeys(allowed: ["channels", "purposes", "shareClass", "propagation"])
        func names(_ key: String) throws(PolicyError) -> Set<String> {
            let path = reader.path.key(key)
            let elements = try reader.array(key)
            guard !elements.isEmpty else { throw reader.error(.invalidValue, "\(key) must not be empty", at: path) }
            var result = Set<String>()
            for (index, element) in elements.enumerated() {
                let name = try reader.string(element, at: path.index(index))
                guard PolicyParser.isIdentifier(name), name != ConsentModel.everything else {
                    throw reader.error(.invalidValue, "\"\(name)\" must match [a-z][a-z0-9_-]{0,62} and not be \"all\"", at: path.index(index))
                }
                guard result.insert(name).inserted else { throw reader.error(.duplicate, "duplicate \"\(name)\"", at: path.index(index)) }
            }
            return result
        }
        let channels = try names("channels")
        let purposes = try names("purposes")
        let shareClass = try reader.string("shareClass")
        guard shareClasses.contains(where: { $0.name == shareClass }) else {
            throw reader.error(.unknownReference, "unknown share class \"\(shareClass)\"", at: reader.path.key("shareClass"))
        }
        var rules: [ConsentPropagationRule] = []
        for (index, element) in (try reader.optionalArray("propagation") ?? []).enumerated() {
            let rule = try JSONObjectReader(element, path: reader.path.key("propagation").index(index), source: source)
            try rule.checkKeys(allowed: ["channel", "purpose", "from", "to", "units"])
            let channel = try rule.string("channel")
            guard channel == ConsentModel.everything || channels.contains(channel) else {
                throw rule.error(.unknownReference, "unknown channel \"\(channel)\" (the consent model's channels, or \"all\")", at: rule.path.key("channel"))
            }
            let purpose = try rule.string("purpose")
            guard purpose == ConsentModel.everything || purposes.contains(purpose) else {
                throw rule.error(.unknownReference, "unknown purpose \"\(purpose)\" (the consent model's purposes, or \"all\")", at: rule.path.key("purpose"))
            }
            func level(_ key: String, _ allowed: [ConsentPropagationRule.Level]) throws(PolicyError) -> ConsentPropagationRule.Level {
                let text = try rule.string(key)
                guard let level = ConsentPropagationRule.Level(rawValue: text), allowed.contains(level) else {
                    throw rule.error(.invalidValue, "\(key) must be one of: \(allowed.map(\.rawValue).joined(separator: ", "))", at: rule.path.key(key))
                }
                return level
            }
            let from = try level("from", [.unit, .line])
            let to = try level("to", [.line, .company])
            guard from < to else { throw rule.error(.invalidValue, "to must be wider than from", at: rule.path.key("to")) }
            let ruleUnits = try rule.value("units") == nil ? nil : unitReferences(rule, "units", unitIDs: Set(units.map(\.id)))
            rules.append(ConsentPropagationRule(channel: channel, purpose: purpose, from: from, to: to, units: ruleUnits))
        }
        return ConsentModel(channels: channels, purposes: purposes, shareClass: shareClass, propagation: rules)
    }

    func parseInteractions(_ top: JSONObjectReader, classNames: Set<String>) throws(PolicyError) -> InteractionModel? {
        guard top.value("interactions") != nil else { return nil }
        let reader = try top.object("interactions")
        try reader.checkKeys(allowed: ["shareClass", "retentionDays"])
        let shareClass = try reader.string("shareClass")
        guard classNames.contains(shareClass) else {
            throw reader.error(.unknownReference, "unknown share class \"\(shareClass)\"", at: reader.path.key("shareClass"))
        }
        let retention = try reader.object("retentionDays")
        guard !retention.keys.isEmpty else {
            throw reader.error(.invalidValue, "retentionDays must name at least one event type", at: retention.path)
        }
        var days: [String: Int] = [:]
        for type in retention.keys {
            guard PolicyParser.isIdentifier(type) else {
                throw reader.error(.invalidValue, "event type must match [a-z][a-z0-9_-]{0,62}", at: retention.path.key(type))
            }
            days[type] = Int(try retention.integer(type, in: PolicyParser.retentionDaysRange))
        }
        return InteractionModel(retentionDays: days, shareClass: shareClass)
    }

    /// `erasure`: the class of erasure entries (audience `all`, holding no catalog attribute and
    /// not the consent or interactions class) and who may request.
    func parseErasure(
        _ top: JSONObjectReader, shareClasses: [ShareClassDefinition], unitIDs: Set<String>, attributes: [AttributeDefinition],
        taken: [String]
    ) throws(PolicyError) -> ErasureModel? {
        guard top.value("erasure") != nil else { return nil }
        let reader = try top.object("erasure")
        try reader.checkKeys(allowed: ["shareClass", "requesters"])
        let name = try reader.string("shareClass")
        let path = reader.path.key("shareClass")
        guard let definition = shareClasses.first(where: { $0.name == name }) else {
            throw reader.error(.unknownReference, "unknown share class \"\(name)\"", at: path)
        }
        guard definition.audience == .all else {
            throw reader.error(.invalidValue, "the erasure class \"\(name)\" must have audience \"all\": every member must receive every request", at: path)
        }
        if let attribute = attributes.first(where: { $0.shareClass == name }) {
            throw reader.error(.invalidValue, "the erasure class \"\(name)\" must hold only erasure entries, but attribute \"\(attribute.name)\" is in it", at: path)
        }
        guard !taken.contains(name) else {
            throw reader.error(.invalidValue, "the erasure class \"\(name)\" is also the consent or interactions class", at: path)
        }
        return ErasureModel(shareClass: name, requesters: try unitReferences(reader, "requesters", unitIDs: unitIDs))
    }

    /// `retention`: share class to days.
    func parseRetention(_ top: JSONObjectReader, classNames: Set<String>) throws(PolicyError) -> [String: Int] {
        guard top.value("retention") != nil else { return [:] }
        let reader = try top.object("retention")
        var days: [String: Int] = [:]
        for name in reader.keys {
            guard classNames.contains(name) else {
                throw reader.error(.unknownReference, "unknown share class \"\(name)\"", at: reader.path.key(name))
            }
            days[name] = Int(try reader.integer(name, in: PolicyParser.retentionDaysRange))
        }
        return days
    }

    /// `legalHolds`: an array of holds, each naming classes, records (`unit/localId`) or both.
    func parseLegalHolds(_ top: JSONObjectReader, classNames: Set<String>, unitIDs: Set<String>) throws(PolicyError) -> [LegalHold] {
        guard let elements = try top.optionalArray("legalHolds") else { return [] }
        var holds: [LegalHold] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let reader = try JSONObjectReader(element, path: top.path.key("legalHolds").index(index), source: source)
            try reader.checkKeys(allowed: ["id", "reason", "reference", "classes", "records"])
            let id = try identifier(reader, "id")
            if let first = firstIndex[id] {
                throw reader.error(.duplicate, "duplicate legal hold \"\(id)\" (first defined at $.legalHolds[\(first)])", at: reader.path.key("id"))
            }
            firstIndex[id] = index
            let reason = try reader.string("reason")
            guard !reason.isEmpty else { throw reader.error(.invalidValue, "reason must not be empty", at: reader.path.key("reason")) }
            let reference = try reader.optionalString("reference") ?? ""
            var classes: Set<String>?
            if reader.value("classes") != nil {
                classes = try names(reader, "classes", what: "share class") { classNames.contains($0) }
            }
            var records: Set<String>?
            if reader.value("records") != nil {
                records = try names(reader, "records", what: "record (unit/localId of a member)") { text in
                    guard let slash = text.firstIndex(of: "/") else { return false }
                    let localId = text[text.index(after: slash)...]
                    return unitIDs.contains(String(text[..<slash])) && (1...128).contains(localId.utf8.count)
                        && !localId.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }
                }
            }
            guard classes != nil || records != nil else {
                throw reader.error(.missingField, "a legal hold needs classes, records or both", at: reader.path)
            }
            holds.append(LegalHold(id: id, reason: reason, reference: reference, classes: classes, records: records))
        }
        return holds
    }

    /// A required non-empty array of distinct strings, each passing `isValid`.
    private func names(_ reader: JSONObjectReader, _ key: String, what: String, isValid: (String) -> Bool) throws(PolicyError) -> Set<String> {
        let path = reader.path.key(key)
        let elements = try reader.array(key)
        guard !elements.isEmpty else { throw reader.error(.invalidValue, "\(key) must not be empty", at: path) }
        var result = Set<String>()
        for (index, element) in elements.enumerated() {
            let text = try reader.string(element, at: path.index(index))
            guard isValid(text) else { throw reader.error(.unknownReference, "unknown \(what) \"\(text)\"", at: path.index(index)) }
            guard result.insert(text).inserted else { throw reader.error(.duplicate, "duplicate \"\(text)\"", at: path.index(index)) }
        }
        return result
    }

    /// Retention periods in days: one day to a hundred years.
    static let retentionDaysRange: ClosedRange<Int64> = 1...36_500

    /// Whether a string is `host:port` with a non-empty host without spaces and a port from 1 to 65535.
    static func isEndpoint(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            return false
        }
        let host = text[..<colon]
        return !host.isEmpty && !host.contains(where: \.isWhitespace)
    }
}
