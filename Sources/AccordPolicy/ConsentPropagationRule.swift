/// A rule that widens the scope of opt-outs: an opt-out recorded in the `from` scope (one unit, or a
/// line of business) for a channel and purpose counts in the wider `to` scope (the unit's line of
/// business, or the whole company). Without such a rule an opt-out covers only the scope the
/// customer chose, so one unit's opt-out never silently becomes a company-wide one.
///
/// Rules widen opt-outs only: widening an opt-in would take consent the customer did not give.
public struct ConsentPropagationRule: Sendable, Equatable {
    /// A scope level a rule widens from or to.
    public enum Level: String, Sendable, CaseIterable, Comparable {
        /// One unit.
        case unit
        /// A line of business.
        case line
        /// The whole company.
        case company

        /// Narrower before wider.
        public static func < (lhs: Level, rhs: Level) -> Bool {
            let order: [Level] = [.unit, .line, .company]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// The channel the rule applies to, or `all` (matching opt-outs of any channel).
    public let channel: String
    /// The purpose the rule applies to, or `all` (matching opt-outs of any purpose).
    public let purpose: String
    /// The scope level of the opt-outs the rule widens: `unit` or `line`.
    public let from: Level
    /// The level they count at: `line` or `company`, wider than `from`.
    public let to: Level
    /// Only opt-outs recorded by these units; `nil` for every unit.
    public let units: Set<String>?

    /// Creates a rule (no validation; `Policy.parse` validates).
    public init(channel: String, purpose: String, from: Level, to: Level, units: Set<String>? = nil) {
        self.channel = channel
        self.purpose = purpose
        self.from = from
        self.to = to
        self.units = units
    }

    /// Whether the rule applies to an opt-out for `channel` and `purpose` recorded by `author` at `level`.
    public func applies(channel: String, purpose: String, level: Level, author: String) -> Bool {
        (self.channel == ConsentModel.everything || self.channel == channel)
            && (self.purpose == ConsentModel.everything || self.purpose == purpose)
            && from == level && (units?.contains(author) ?? true)
    }
}
