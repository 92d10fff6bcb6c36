/// An interaction event: a purchase, a call, a claim. Events are append-only: each one is its own
/// register, named `interaction:<event id>`, written once.
public struct InteractionEvent: Hashable, Sendable {
    /// The kind of event: `purchase`, `call`, `claim`, ... (an identifier).
    public var type: String
    /// The channel it happened on: `store`, `web`, `phone`, ... (an identifier).
    public var channel: String
    /// When it happened, milliseconds since 1970.
    public var atMillis: Int64
    /// Further attributes, sorted by key, keys unique.
    public private(set) var attributes: [(key: String, value: String)]

    /// Creates an event; attributes are sorted by key and the last value of a repeated key wins.
    public init(type: String, channel: String, atMillis: Int64, attributes: [String: String] = [:]) {
        self.type = type
        self.channel = channel
        self.atMillis = atMillis
        self.attributes = attributes.sorted { Identifier.less($0.key, $1.key) }.map { (key: $0.key, value: $0.value) }
    }

    /// Creates an event from attributes already sorted and unique (the decoder checks that).
    init(type: String, channel: String, atMillis: Int64, sortedAttributes: [(key: String, value: String)]) {
        self.type = type
        self.channel = channel
        self.atMillis = atMillis
        self.attributes = sortedAttributes
    }

    /// The attribute name of an event's register.
    public static func attribute(eventId: String) throws -> AttributeName {
        try AttributeName("interaction:\(eventId)")
    }

    /// Field-wise equality.
    public static func == (lhs: InteractionEvent, rhs: InteractionEvent) -> Bool {
        lhs.type == rhs.type && lhs.channel == rhs.channel && lhs.atMillis == rhs.atMillis
            && lhs.attributes.elementsEqual(rhs.attributes) { $0.key == $1.key && $0.value == $1.value }
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(channel)
        hasher.combine(atMillis)
        for pair in attributes {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }
}
