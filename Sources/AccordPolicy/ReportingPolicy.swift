/// What the governance dashboard and `/metrics` judge against: the optional `reporting` section
/// of a policy (`{"freshnessHours": 24}`).
public struct ReportingPolicy: Sendable, Equatable {
    /// How many hours may pass since a unit's last batch before its data counts as stale (shown red).
    public let freshnessHours: Int

    /// The threshold when the policy has no `reporting` section.
    public static let defaultFreshnessHours = 24
    /// The allowed range of ``freshnessHours``: one hour to a year.
    public static let freshnessHoursRange: ClosedRange<Int64> = 1...8_760

    /// Creates the section.
    /// - Parameter freshnessHours: the staleness threshold in hours.
    public init(freshnessHours: Int = ReportingPolicy.defaultFreshnessHours) {
        self.freshnessHours = freshnessHours
    }
}

extension Policy {
    /// The staleness threshold in hours: the `reporting` section's, or ``ReportingPolicy/defaultFreshnessHours``.
    public var freshnessHours: Int { reporting?.freshnessHours ?? ReportingPolicy.defaultFreshnessHours }
}
