/// The federation's consent model: the channels and purposes a customer can decide about, and the
/// share class consent decisions travel in. Decisions are made per channel, purpose and scope (one
/// unit, a line of business, or the whole company); see the node's consent evaluation for how the
/// effective consent is computed.
public struct ConsentModel: Sendable, Equatable {
    /// The contact channels, such as `email`, `sms`, `phone`, `mail`.
    public let channels: Set<String>
    /// The purposes, such as `marketing`, `service`.
    public let purposes: Set<String>
    /// The share class consent entries belong to.
    public let shareClass: String
    /// Rules that widen opt-outs to a wider scope, in policy order (the first that applies wins).
    public let propagation: [ConsentPropagationRule]

    /// Creates a model (no validation; `Policy.parse` validates).
    public init(channels: Set<String>, purposes: Set<String>, shareClass: String, propagation: [ConsentPropagationRule] = []) {
        self.channels = channels
        self.purposes = purposes
        self.shareClass = shareClass
        self.propagation = propagation
    }

    /// The channel and purpose that stand for "every channel" and "every purpose": an opt-out for
    /// both in the company scope is a company-wide do-not-contact.
    public static let everything = "all"
}
