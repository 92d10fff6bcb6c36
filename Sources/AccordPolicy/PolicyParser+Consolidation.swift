import AccordConsolidation

extension PolicyParser {
    /// Reads `identityResolution` (absent: `nil`, the built-in defaults apply): `rules` written over
    /// the defaults key by key, `parameters` whole (absent: untrained), `stewardship` optional.
    func parseIdentityResolution(_ top: JSONObjectReader, shareClasses: [ShareClassDefinition], unitIDs: Set<String>,
                                 attributeNames: Set<String>) throws(PolicyError) -> IdentityResolutionPolicy? {
        guard top.value("identityResolution") != nil else { return nil }
        let reader = try top.object("identityResolution")
        try reader.checkKeys(allowed: ["rules", "parameters", "stewardship"])
        var rules = ResolutionRules.standard
        if let user = reader.value("rules") {
            let path = reader.path.key("rules")
            _ = try JSONObjectReader(user, path: path, source: source)
            let merged = try CodableJSONBridge.merge(user, over: Self.tree(of: .standard), at: path, source: source)
            rules = try CodableJSONBridge.decode(ResolutionRules.self, merged, at: path, source: source)
            do {
                try rules.validate()
            } catch {
                throw reader.error(.invalidValue, error.message, at: path)
            }
            // Attributes a role is mapped to other than by default must be in the catalog (the default
            // mapping names the sample catalog's attributes; a role whose attributes are absent is
            // always missing, so a catalog without them still loads).
            let fields = rules.fields, standard = FieldMapping.standard
            let mapped: [(String, [String], [String])] = [
                ("givenName", fields.givenName, standard.givenName), ("familyName", fields.familyName, standard.familyName),
                ("birthDate", fields.birthDate, standard.birthDate), ("email", fields.email, standard.email),
                ("phone", fields.phone, standard.phone), ("street", fields.street, standard.street),
                ("postcode", fields.postcode, standard.postcode), ("city", fields.city, standard.city),
            ]
            for (role, names, defaults) in mapped where names != defaults {
                for (index, name) in names.enumerated() where !attributeNames.contains(name) {
                    throw reader.error(.unknownReference, "unknown attribute \"\(name)\"", at: path.key("fields").key(role).index(index))
                }
            }
        }
        var parameters = MatchParameters.untrained
        if let user = reader.value("parameters") {
            let path = reader.path.key("parameters")
            _ = try JSONObjectReader(user, path: path, source: source)
            parameters = try CodableJSONBridge.decode(MatchParameters.self, user, at: path, source: source)
            try CodableJSONBridge.checkKnownKeys(user, against: CodableJSONBridge.tree(parameters), at: path, source: source)
            do {
                try parameters.validate()
            } catch {
                throw reader.error(.invalidValue, error.message, at: path)
            }
        }
        var stewardship: StewardshipPolicy?
        if reader.value("stewardship") != nil {
            let section = try reader.object("stewardship")
            try section.checkKeys(allowed: ["shareClass", "stewards"])
            let name = try section.string("shareClass")
            guard let shareClass = shareClasses.first(where: { $0.name == name }) else {
                throw section.error(.unknownReference, "unknown share class \"\(name)\"", at: section.path.key("shareClass"))
            }
            guard shareClass.audience == .all else {
                throw section.error(.invalidValue, "share class \"\(name)\" must have audience \"all\": every node resolves with every decision",
                                    at: section.path.key("shareClass"))
            }
            let stewards = try unitReferences(section, "stewards", unitIDs: unitIDs)
            stewardship = StewardshipPolicy(shareClass: name, stewards: Array(stewards))
        }
        return IdentityResolutionPolicy(rules: rules, parameters: parameters, stewardship: stewardship)
    }

    /// Reads `survivorship` (absent: `nil`, the defaults apply): `scalars`, `sets` (rules for text and
    /// multi-valued attributes) and `attributes` (a rule per catalog attribute), each rule
    /// `{"kind": ..., "units": [...]}` with units only (and required) for `sourcePriority`.
    func parseSurvivorship(_ top: JSONObjectReader, unitIDs: Set<String>, attributeNames: Set<String>) throws(PolicyError)
        -> SurvivorshipRules?
    {
        guard top.value("survivorship") != nil else { return nil }
        let reader = try top.object("survivorship")
        try reader.checkKeys(allowed: ["scalars", "sets", "attributes"])
        var rules = SurvivorshipRules.standard
        if reader.value("scalars") != nil { rules.scalars = try survivorshipRule(try reader.object("scalars"), unitIDs: unitIDs) }
        if reader.value("sets") != nil { rules.sets = try survivorshipRule(try reader.object("sets"), unitIDs: unitIDs) }
        if reader.value("attributes") != nil {
            let attributes = try reader.object("attributes")
            for name in attributes.keys {
                guard attributeNames.contains(name) else {
                    throw attributes.error(.unknownReference, "unknown attribute \"\(name)\"", at: attributes.path.key(name))
                }
                rules.attributes[name] = try survivorshipRule(try attributes.object(name), unitIDs: unitIDs)
            }
        }
        return rules
    }

    private func survivorshipRule(_ reader: JSONObjectReader, unitIDs: Set<String>) throws(PolicyError) -> SurvivorshipRule {
        try reader.checkKeys(allowed: ["kind", "units"])
        let text = try reader.string("kind")
        guard let kind = SurvivorshipRule.Kind(rawValue: text) else {
            let allowed = SurvivorshipRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw reader.error(.invalidValue, "unknown survivorship rule \"\(text)\" (allowed: \(allowed))", at: reader.path.key("kind"))
        }
        guard kind == .sourcePriority else {
            if reader.value("units") != nil {
                throw reader.error(.invalidValue, "units belong only to rule \"sourcePriority\"", at: reader.path.key("units"))
            }
            return SurvivorshipRule(kind: kind)
        }
        // Order matters (most trusted first), so read the list as written.
        let path = reader.path.key("units")
        _ = try unitReferences(reader, "units", unitIDs: unitIDs)
        var units: [String] = []
        for (index, element) in try reader.array("units").enumerated() { units.append(try reader.string(element, at: path.index(index))) }
        return SurvivorshipRule(kind: kind, units: units)
    }

    /// The rules as a tree, with the cohesion floor written as `null` when unset (so the canonical
    /// form reads back as the same rules, not the default floor).
    static func tree(of rules: ResolutionRules) -> JSONValue {
        guard case .object(var members) = CodableJSONBridge.tree(rules) else { preconditionFailure("rules encode as an object") }
        if rules.clustering.cohesionFloor == nil, let index = members.firstIndex(where: { $0.key == "clustering" }),
           case .object(var clustering) = members[index].value {
            clustering.append((key: "cohesionFloor", value: .null))
            members[index].value = .object(clustering)
        }
        return .object(members)
    }
}

extension Policy {
    /// The `identityResolution` section in canonical form: every rule written out.
    static func json(identityResolution section: IdentityResolutionPolicy) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("rules", PolicyParser.tree(of: section.rules)),
            ("parameters", CodableJSONBridge.tree(section.parameters)),
        ]
        if let stewardship = section.stewardship {
            members.append(("stewardship", .object([
                ("shareClass", .string(stewardship.shareClass)),
                ("stewards", .array(stewardship.stewards.map { .string($0) })),
            ])))
        }
        return .object(members)
    }

    /// The `survivorship` section in canonical form.
    static func json(survivorship rules: SurvivorshipRules) -> JSONValue {
        func rule(_ rule: SurvivorshipRule) -> JSONValue {
            var members: [(key: String, value: JSONValue)] = [("kind", .string(rule.kind.rawValue))]
            if let units = rule.units { members.append(("units", .array(units.map { .string($0) }))) }
            return .object(members)
        }
        return .object([
            ("scalars", rule(rules.scalars)),
            ("sets", rule(rules.sets)),
            ("attributes", .object(rules.attributes.sorted { $0.key < $1.key }.map { (key: $0.key, value: rule($0.value)) })),
        ])
    }
}
