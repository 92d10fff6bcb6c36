/// An interaction event on one of a profile's records, as segments and lifecycle rules read it.
public struct FactInteraction: Sendable, Equatable {
    /// The event type (`purchase`, ...).
    public var type: String
    /// The channel it happened on (`store`, `web`, ...).
    public var channel: String
    /// When, milliseconds since 1970.
    public var atMillis: Int64
    /// The record it is on, `unit/localId`.
    public var record: String
    /// The unit that recorded it.
    public var author: String
    /// Its register, `interaction:<event id>`.
    public var attribute: String

    /// Creates an interaction fact.
    public init(type: String, channel: String, atMillis: Int64, record: String, author: String, attribute: String) {
        self.type = type
        self.channel = channel
        self.atMillis = atMillis
        self.record = record
        self.author = author
        self.attribute = attribute
    }
}

/// The effective consent of a person for one channel and purpose, for the asking unit, reduced to
/// what a segment needs: allowed or the reason it is not.
public enum ConsentStatus: UInt8, Sendable, CaseIterable {
    /// The latest decision covering the unit is an opt-in.
    case allowed = 0
    /// The latest decision covering the unit is an opt-out.
    case optOut = 1
    /// A company-wide do-not-contact.
    case doNotContact = 2
    /// No current decision, but one expired.
    case expired = 3
    /// No decision at all (consent is asked for, not assumed).
    case none = 4
}

/// A channel and purpose.
public struct ConsentKey: Sendable, Hashable, Comparable {
    /// The channel.
    public var channel: String
    /// The purpose.
    public var purpose: String

    /// Creates a key.
    public init(channel: String, purpose: String) {
        self.channel = channel
        self.purpose = purpose
    }

    /// By channel, then purpose.
    public static func < (lhs: ConsentKey, rhs: ConsentKey) -> Bool { (lhs.channel, lhs.purpose) < (rhs.channel, rhs.purpose) }
}

/// The effective consent for one channel and purpose.
public struct FactConsent: Sendable, Equatable {
    /// Allowed, or why not.
    public var status: ConsentStatus
    /// An opt-in with an agreed frequency limit (opt-down).
    public var limited: Bool

    /// Creates a consent fact.
    public init(status: ConsentStatus, limited: Bool = false) {
        self.status = status
        self.limited = limited
    }
}

/// Everything a segment or lifecycle rule may read about one consolidated profile, for one asking
/// unit: golden values (only the attributes it may see), the units holding a record, the
/// interactions on its records, and effective consent per channel and purpose.
public struct PersonFacts: Sendable, Equatable {
    /// The profile id.
    public var id: String
    /// The member records, `unit/localId`, in key order.
    public var records: [String]
    /// The units holding a record.
    public var units: Set<String>
    /// Golden values: attribute to its values (one for a scalar, several for a set).
    public var values: [String: [String]]
    /// Where each golden value came from (`record by author`), for lineage.
    public var valueLineage: [String: String]
    /// Interaction events on any record.
    public var interactions: [FactInteraction]
    /// Effective consent for the asking unit.
    public var consent: [ConsentKey: FactConsent]

    /// Creates the facts of a profile.
    public init(id: String, records: [String], units: Set<String>, values: [String: [String]], valueLineage: [String: String] = [:],
                interactions: [FactInteraction] = [], consent: [ConsentKey: FactConsent] = [:]) {
        self.id = id
        self.records = records
        self.units = units
        self.values = values
        self.valueLineage = valueLineage
        self.interactions = interactions
        self.consent = consent
    }
}
