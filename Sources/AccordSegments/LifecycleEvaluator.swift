public import AccordPolicy

/// A profile's lifecycle stage with its lineage: which stage rule decided and the entry that made
/// it hold (the newest matching interaction, or the golden value's source).
public struct LifecycleAssignment: Sendable, Equatable {
    /// The stage name; `nil` when no stage rule holds.
    public var stage: String?
    /// The stage's position in the policy (`nil` with no stage).
    public var ruleIndex: Int?
    /// The rule in words.
    public var rule: String?
    /// The deciding interaction, if an interaction rule decided.
    public var interaction: FactInteraction?
    /// The deciding golden value, `attribute` and its source, if an attribute rule decided.
    public var attribute: String?
    /// The source of the deciding golden value (`record by author`).
    public var attributeSource: String?
    /// The time the stage holds at, milliseconds since 1970.
    public var asOfMillis: Int64
}

/// Evaluates the policy's lifecycle stages: the first stage whose rule holds, as of a given time.
/// A pure function of the facts, the model and the time: interactions are considered in a total
/// order (newest first, then record, then register), so every node and every order of records
/// gives the same stage and the same deciding entry.
public enum LifecycleEvaluator {
    /// Milliseconds in a day.
    public static let dayMillis: Int64 = 86_400_000

    /// The stage of a profile.
    /// - Parameters:
    ///   - facts: the profile's facts (consent is not read).
    ///   - model: the policy's lifecycle model.
    ///   - asOf: milliseconds since 1970.
    public static func assign(_ facts: PersonFacts, model: LifecycleModel, asOf: Int64) -> LifecycleAssignment {
        let ordered = facts.interactions.sorted { a, b in
            if a.atMillis != b.atMillis { return a.atMillis > b.atMillis }
            if a.record != b.record { return a.record.utf8.lexicographicallyPrecedes(b.record.utf8) }
            return a.attribute.utf8.lexicographicallyPrecedes(b.attribute.utf8)
        }
        for (index, stage) in model.stages.enumerated() {
            var evidence = Evidence()
            if holds(stage.rule, facts: facts, ordered: ordered, asOf: asOf, evidence: &evidence) {
                return LifecycleAssignment(stage: stage.name, ruleIndex: index, rule: stage.rule.summary, interaction: evidence.interaction,
                                           attribute: evidence.attribute, attributeSource: evidence.attribute.flatMap { facts.valueLineage[$0] },
                                           asOfMillis: asOf)
            }
        }
        return LifecycleAssignment(stage: nil, ruleIndex: nil, rule: nil, interaction: nil, attribute: nil, attributeSource: nil, asOfMillis: asOf)
    }

    private struct Evidence {
        var interaction: FactInteraction?
        var attribute: String?
    }

    private static func holds(_ rule: LifecycleRule, facts: PersonFacts, ordered: [FactInteraction], asOf: Int64, evidence: inout Evidence) -> Bool {
        switch rule {
        case .always:
            return true
        case .interaction(let type, let channel, let days):
            let since = days.map { asOf - Int64($0) * dayMillis }
            guard let found = ordered.first(where: { event in
                (type == nil || event.type == type) && (channel == nil || event.channel == channel)
                    && event.atMillis <= asOf && (since == nil || event.atMillis >= since!)
            }) else { return false }
            if evidence.interaction == nil && evidence.attribute == nil { evidence.interaction = found }
            return true
        case .attribute(let name, let equals):
            guard let values = facts.values[name], !values.isEmpty else { return false }
            if let equals, !values.contains(where: { $0.lowercased() == equals.lowercased() }) { return false }
            if evidence.interaction == nil && evidence.attribute == nil { evidence.attribute = name }
            return true
        case .all(let rules):
            var inner = evidence
            for rule in rules where !holds(rule, facts: facts, ordered: ordered, asOf: asOf, evidence: &inner) { return false }
            evidence = inner
            return true
        case .any(let rules):
            for rule in rules {
                var inner = evidence
                if holds(rule, facts: facts, ordered: ordered, asOf: asOf, evidence: &inner) {
                    evidence = inner
                    return true
                }
            }
            return false
        case .not(let rule):
            var ignored = Evidence()
            return !holds(rule, facts: facts, ordered: ordered, asOf: asOf, evidence: &ignored)
        }
    }
}
