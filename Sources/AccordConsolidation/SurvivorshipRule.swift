public import AccordModel

/// How a profile's golden value of one attribute is chosen among its records' registers.
public struct SurvivorshipRule: Codable, Sendable, Equatable {
    /// The kinds of rule.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The value written last (greatest clock reading).
        case mostRecent
        /// The value of the first author in ``SurvivorshipRule/units``; unlisted authors after the
        /// listed ones; among one author's values the most recent.
        case sourcePriority
        /// The most complete value: the most non-space characters (text) or items (sets); ties go to
        /// the most recent.
        case mostComplete
        /// Every value: the union of all items (texts count as one item each), as a set.
        case union
    }

    /// The kind.
    public var kind: Kind
    /// For ``Kind/sourcePriority``: authoring units, most trusted first.
    public var units: [String]?

    /// Creates a rule.
    public init(kind: Kind, units: [String]? = nil) {
        self.kind = kind
        self.units = units
    }

    /// ``Kind/mostRecent``.
    public static let mostRecent = SurvivorshipRule(kind: .mostRecent)
    /// ``Kind/mostComplete``.
    public static let mostComplete = SurvivorshipRule(kind: .mostComplete)
    /// ``Kind/union``.
    public static let union = SurvivorshipRule(kind: .union)
    /// ``Kind/sourcePriority`` over `units`.
    public static func sourcePriority(_ units: [UnitID]) -> SurvivorshipRule {
        SurvivorshipRule(kind: .sourcePriority, units: units.map(\.rawValue))
    }
}
