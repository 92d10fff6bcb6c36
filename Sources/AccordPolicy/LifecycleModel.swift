/// A rule of a lifecycle stage, over a profile's golden values and its records' interactions.
/// Rules are pure functions of the profile and the time asked about, so every node holding the same
/// entries answers the same stage (``LifecycleModel``).
public indirect enum LifecycleRule: Sendable, Equatable {
    /// Always holds: the catch-all last stage (such as `prospect`).
    case always
    /// An interaction event on any record of the profile, in any unit, of the type and channel
    /// (each `nil` for any), no older than `withinDays` days (`nil` for any age the node still holds).
    case interaction(type: String?, channel: String?, withinDays: Int?)
    /// The profile has a golden value of the attribute (equal to `equals`, ignoring case, when given).
    case attribute(name: String, equals: String?)
    /// Every rule holds.
    case all([LifecycleRule])
    /// At least one rule holds.
    case any([LifecycleRule])
    /// The rule does not hold.
    case not(LifecycleRule)

    /// The rule in words, for lineage and messages: `purchase interaction within 365 days`.
    public var summary: String {
        switch self {
        case .always: return "always"
        case .interaction(let type, let channel, let days):
            var text = "\(type ?? "any") interaction"
            if let channel { text += " on \(channel)" }
            if let days { text += " within \(days) days" }
            return text
        case .attribute(let name, let equals): return equals.map { "\(name) = \"\($0)\"" } ?? "\(name) exists"
        case .all(let rules): return "(" + rules.map(\.summary).joined(separator: " and ") + ")"
        case .any(let rules): return "(" + rules.map(\.summary).joined(separator: " or ") + ")"
        case .not(let rule): return "not " + rule.summary
        }
    }
}

/// One lifecycle stage: a name of the federation's shared vocabulary and the rule that puts a
/// profile in it.
public struct LifecycleStage: Sendable, Equatable {
    /// The stage name, such as `active` (an identifier).
    public let name: String
    /// What the stage means; empty when the policy gives none.
    public let description: String
    /// When a profile is in this stage (if no earlier stage took it).
    public let rule: LifecycleRule

    /// Creates a stage (no validation; `Policy.parse` validates).
    public init(name: String, description: String = "", rule: LifecycleRule) {
        self.name = name
        self.description = description
        self.rule = rule
    }
}

/// The federation's lifecycle vocabulary (`lifecycle` in the policy): ordered stages; a profile is
/// in the first stage whose rule holds, or in none when no rule holds.
public struct LifecycleModel: Sendable, Equatable {
    /// The stages, in policy order (the order decides).
    public let stages: [LifecycleStage]

    /// Creates a model (no validation; `Policy.parse` validates).
    public init(stages: [LifecycleStage]) {
        self.stages = stages
    }

    /// The position of a stage, if the model has it.
    public func index(of name: String) -> Int? {
        stages.firstIndex { $0.name == name }
    }
}
