/// How the federation erases a person: the share class erasure requests and acknowledgements travel
/// in (its audience must be every member, so every node receives every request) and the units that
/// may request an erasure.
public struct ErasureModel: Sendable, Equatable {
    /// The share class of erasure entries; its audience is `all`.
    public let shareClass: String
    /// The units that may write an erasure request.
    public let requesters: Set<String>

    /// Creates a model (no validation; `Policy.parse` validates).
    public init(shareClass: String, requesters: Set<String>) {
        self.shareClass = shareClass
        self.requesters = requesters
    }
}
