/// The `lifecycle` section: ordered stages, each with a rule over golden values and interactions.
extension PolicyParser {
    /// The most stages a model may have (stage numbers fit a byte in segment columns).
    static let maxLifecycleStages = 32
    /// How deep `all`/`any`/`not` may nest.
    static let maxLifecycleRuleDepth = 8

    /// Parses `lifecycle` (absent gives `nil`): `{"stages": [{"name", "description"?, "rule"}]}`.
    func parseLifecycle(_ top: JSONObjectReader, attributeNames: Set<String>, interactions: InteractionModel?)
        throws(PolicyError) -> LifecycleModel?
    {
        guard top.value("lifecycle") != nil else { return nil }
        let reader = try top.object("lifecycle")
        try reader.checkKeys(allowed: ["stages"])
        let elements = try reader.array("stages")
        let path = reader.path.key("stages")
        guard !elements.isEmpty else { throw reader.error(.invalidValue, "stages must define at least one stage", at: path) }
        guard elements.count <= PolicyParser.maxLifecycleStages else {
            throw reader.error(.invalidValue, "at most \(PolicyParser.maxLifecycleStages) stages", at: path)
        }
        var stages: [LifecycleStage] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let stage = try JSONObjectReader(element, path: path.index(index), source: source)
            try stage.checkKeys(allowed: ["name", "description", "rule"])
            let name = try identifier(stage, "name")
            if let first = firstIndex[name] {
                throw stage.error(.duplicate, "duplicate stage \"\(name)\" (first defined at $.lifecycle.stages[\(first)])", at: stage.path.key("name"))
            }
            firstIndex[name] = index
            let rule = try lifecycleRule(try stage.required("rule"), at: stage.path.key("rule"), depth: 0,
                                         attributeNames: attributeNames, interactions: interactions)
            stages.append(LifecycleStage(name: name, description: try stage.optionalString("description") ?? "", rule: rule))
        }
        return LifecycleModel(stages: stages)
    }

    private func lifecycleRule(_ value: JSONValue, at path: JSONPath, depth: Int, attributeNames: Set<String>,
                               interactions: InteractionModel?) throws(PolicyError) -> LifecycleRule {
        if case .string(let word) = value {
            guard word == "always" else {
                throw PolicyError(.invalidValue, "a rule is \"always\" or an object with one of interaction, attribute, all, any, not; found \"\(word)\"",
                                  path: path.description, source: source)
            }
            return .always
        }
        let reader = try JSONObjectReader(value, path: path, source: source)
        guard depth < PolicyParser.maxLifecycleRuleDepth else {
            throw reader.error(.invalidValue, "rules nest at most \(PolicyParser.maxLifecycleRuleDepth) deep", at: path)
        }
        let kinds = ["interaction", "attribute", "all", "any", "not"].filter { reader.value($0) != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            throw reader.error(.invalidValue, "a rule object has exactly one of interaction, attribute, all, any, not", at: path)
        }
        switch kind {
        case "interaction":
            try reader.checkKeys(allowed: ["interaction"])
            guard let model = interactions else {
                throw reader.error(.unknownReference, "an interaction rule needs the policy's interactions section", at: path.key(kind))
            }
            let inner = try reader.object("interaction")
            try inner.checkKeys(allowed: ["type", "channel", "withinDays"])
            let type = try inner.optionalString("type")
            if let type, !model.types.contains(type) {
                throw inner.error(.unknownReference, "unknown interaction type \"\(type)\" (types: \(model.types.sorted().joined(separator: ", ")))",
                                  at: inner.path.key("type"))
            }
            let channel = try inner.optionalString("channel")
            if let channel, !PolicyParser.isIdentifier(channel) {
                throw inner.error(.invalidValue, "channel must match [a-z][a-z0-9_-]{0,62}", at: inner.path.key("channel"))
            }
            let days = inner.value("withinDays") == nil ? nil : Int(try inner.integer("withinDays", in: 1...36_500))
            return .interaction(type: type, channel: channel, withinDays: days)
        case "attribute":
            try reader.checkKeys(allowed: ["attribute", "equals"])
            let name = try reader.string("attribute")
            guard attributeNames.contains(name) else {
                throw reader.error(.unknownReference, "unknown attribute \"\(name)\"", at: path.key("attribute"))
            }
            return .attribute(name: name, equals: try reader.optionalString("equals"))
        case "not":
            try reader.checkKeys(allowed: ["not"])
            return .not(try lifecycleRule(try reader.required("not"), at: path.key("not"), depth: depth + 1,
                                          attributeNames: attributeNames, interactions: interactions))
        default:
            try reader.checkKeys(allowed: [kind])
            let elements = try reader.array(kind)
            guard !elements.isEmpty else { throw reader.error(.invalidValue, "\(kind) needs at least one rule", at: path.key(kind)) }
            var rules: [LifecycleRule] = []
            for (index, element) in elements.enumerated() {
                rules.append(try lifecycleRule(element, at: path.key(kind).index(index), depth: depth + 1,
                                               attributeNames: attributeNames, interactions: interactions))
            }
            return kind == "all" ? .all(rules) : .any(rules)
        }
    }
}

extension Policy {
    /// The lifecycle section as a JSON tree (canonical form).
    static func json(lifecycle: LifecycleModel) -> JSONValue {
        .object([("stages", .array(lifecycle.stages.map { stage in
            .object([("description", .string(stage.description)), ("name", .string(stage.name)), ("rule", json(rule: stage.rule))])
        }))])
    }

    private static func json(rule: LifecycleRule) -> JSONValue {
        switch rule {
        case .always: return .string("always")
        case .interaction(let type, let channel, let days):
            var members: [(key: String, value: JSONValue)] = []
            if let channel { members.append(("channel", .string(channel))) }
            if let type { members.append(("type", .string(type))) }
            if let days { members.append(("withinDays", .number(String(days)))) }
            return .object([("interaction", .object(members))])
        case .attribute(let name, let equals):
            var members: [(key: String, value: JSONValue)] = [("attribute", .string(name))]
            if let equals { members.append(("equals", .string(equals))) }
            return .object(members)
        case .all(let rules): return .object([("all", .array(rules.map(json(rule:))))])
        case .any(let rules): return .object([("any", .array(rules.map(json(rule:))))])
        case .not(let inner): return .object([("not", json(rule: inner))])
        }
    }
}
