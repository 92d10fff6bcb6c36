public import AccordPolicy

/// What a filter may name, as seen by one asking unit: the attributes and interactions it may see
/// under the policy's share-class audiences, the lifecycle stages, the units, the consent channels
/// and purposes. The parser checks every name against it, so a unit cannot filter on data it may
/// not see.
public struct SegmentVocabulary: Sendable {
    /// Attributes the unit may see.
    public var attributes: Set<String>
    /// Attributes defined but outside the unit's audiences, with their share class (for messages).
    public var hiddenAttributes: [String: String]
    /// Lifecycle stage names.
    public var stages: [String]
    /// Unit ids.
    public var units: Set<String>
    /// Consent channels.
    public var channels: Set<String>
    /// Consent purposes.
    public var purposes: Set<String>
    /// Interaction event types, empty when the unit may not see interactions.
    public var interactionTypes: Set<String>
    /// Whether the unit may see interactions (the policy has them and the unit is in their audience).
    public var seesInteractions: Bool

    /// The vocabulary of the policy for the asking unit.
    public init(policy: Policy, unit: String) {
        var visible = Set<String>()
        var hidden: [String: String] = [:]
        for attribute in policy.attributes {
            if policy.mayReceive(unit: unit, shareClass: attribute.shareClass) { visible.insert(attribute.name) } else { hidden[attribute.name] = attribute.shareClass }
        }
        attributes = visible
        hiddenAttributes = hidden
        stages = policy.lifecycle?.stages.map(\.name) ?? []
        units = Set(policy.units.map(\.id))
        channels = policy.consent?.channels ?? []
        purposes = policy.consent?.purposes ?? []
        seesInteractions = policy.interactions.map { policy.mayReceive(unit: unit, shareClass: $0.shareClass) } ?? false
        interactionTypes = seesInteractions ? policy.interactions?.types ?? [] : []
    }
}
