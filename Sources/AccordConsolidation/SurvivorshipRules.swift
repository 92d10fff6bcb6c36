public import AccordModel

/// Survivorship rules per attribute, with defaults for scalar and multi-valued attributes. A plain
/// value with a stable JSON form (``ConsolidationJSON``), meant for the policy's `survivorship` section.
public struct SurvivorshipRules: Codable, Sendable, Equatable {
    /// The rule for attributes holding text, unless listed.
    public var scalars: SurvivorshipRule
    /// The rule for attributes holding sets, unless listed.
    public var sets: SurvivorshipRule
    /// Rules by attribute name.
    public var attributes: [String: SurvivorshipRule]

    /// Creates rules.
    public init(scalars: SurvivorshipRule = .mostRecent, sets: SurvivorshipRule = .union, attributes: [String: SurvivorshipRule] = [:]) {
        self.scalars = scalars
        self.sets = sets
        self.attributes = attributes
    }

    /// Most recent for scalars, union for sets.
    public static let standard = SurvivorshipRules()

    /// The rule for an attribute whose values are sets (`isSet`) or text.
    public func rule(for attribute: AttributeName, isSet: Bool) -> SurvivorshipRule {
        attributes[attribute.rawValue] ?? (isSet ? sets : scalars)
    }
}
