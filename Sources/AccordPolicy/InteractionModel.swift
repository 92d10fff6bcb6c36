/// The federation's interaction events: which types units record, the share class they travel in,
/// and how long each type is kept. Events are append-only; an event older than its type's retention
/// is removed on every node and refused when it arrives late, so all nodes converge on the same set.
public struct InteractionModel: Sendable, Equatable {
    /// Event type to retention in days, such as `purchase: 730`.
    public let retentionDays: [String: Int]
    /// The share class interaction events belong to.
    public let shareClass: String

    /// Creates a model (no validation; `Policy.parse` validates).
    public init(retentionDays: [String: Int], shareClass: String) {
        self.retentionDays = retentionDays
        self.shareClass = shareClass
    }

    /// The event types.
    public var types: Set<String> { Set(retentionDays.keys) }
}
