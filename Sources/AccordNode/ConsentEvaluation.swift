public import AccordModel
public import AccordPolicy

/// One consent entry as a node holds it: what it is about, the decision, and who wrote it.
public struct ConsentEntry: Sendable, Equatable {
    /// Channel, purpose and scope.
    public var topic: ConsentTopic
    /// The decision with its evidence.
    public var decision: ConsentDecision
    /// The unit that recorded it.
    public var author: UnitID
    /// The record it is on.
    public var record: RecordKey

    /// Creates an entry.
    public init(topic: ConsentTopic, decision: ConsentDecision, author: UnitID, record: RecordKey) {
        self.topic = topic
        self.decision = decision
        self.author = author
        self.record = record
    }
}

/// The effective consent for one unit, channel and purpose, with the reason and the deciding entry.
public struct ConsentVerdict: Sendable, Equatable {
    /// Whether the unit may contact the customer on that channel for that purpose.
    public var allowed: Bool
    /// Why, in words.
    public var reason: String
    /// The entry that decided, if any.
    public var deciding: ConsentEntry?
    /// An agreed frequency limit (opt-down), if the deciding opt-in has one.
    public var frequency: String?
}

/// Computes effective consent deterministically from the consent entries a node holds:
/// 1. expired decisions do not count;
/// 2. a company-wide do-not-contact (opt-out for channel `all`, purpose `all`, scope `company`)
///    overrides everything;
/// 3. only decisions whose channel (or `all`), purpose (or `all`) and scope cover the asking unit
///    count: its own unit scope, its line of business, or the company. So one unit's opt-out never
///    silently becomes an opt-out for the whole company;
/// 4. of those, the customer's latest decision wins (by when the customer decided); on a tie,
///    opt-out wins;
/// 5. no decision at all: not allowed (consent is asked for, not assumed).
public enum ConsentEvaluation {
    /// The effective consent.
    /// - Parameters:
    ///   - entries: every consent entry held on the person's records.
    ///   - unit: the unit that wants to contact the customer.
    ///   - channel: the channel.
    ///   - purpose: the purpose.
    ///   - policy: the policy (for the unit's line of business).
    ///   - now: milliseconds since 1970, for expiry.
    public static func evaluate(
        _ entries: [ConsentEntry], unit: UnitID, channel: String, purpose: String, policy: Policy, now: Int64
    ) -> ConsentVerdict {
        let everything = ConsentModel.everything
        let live = entries.filter { entry in entry.decision.expiresAtMillis.map { $0 > now } ?? true }
        let dnc = live.filter {
            $0.topic.channel == everything && $0.topic.purpose == everything && $0.topic.scope == .company
        }
        if let latest = latest(dnc), latest.decision.choice == .optOut {
            return ConsentVerdict(allowed: false, reason: "company-wide do-not-contact (\(describe(latest)))", deciding: latest)
        }
        let line = policy.unit(unit.rawValue)?.lineOfBusiness
        let relevant = live.filter { entry in
            (entry.topic.channel == channel || entry.topic.channel == everything)
                && (entry.topic.purpose == purpose || entry.topic.purpose == everything)
                && covers(entry.topic.scope, unit: unit, line: line)
        }
        guard let deciding = latest(relevant) else {
            let expired = entries.count - live.count
            return ConsentVerdict(allowed: false, reason: expired > 0
                ? "no current consent for \(channel)/\(purpose) by \(unit) (\(expired) expired)"
                : "no consent recorded for \(channel)/\(purpose) covering \(unit)", deciding: nil)
        }
        let allowed = deciding.decision.choice == .optIn
        return ConsentVerdict(
            allowed: allowed, reason: "\(allowed ? "opt-in" : "opt-out") \(describe(deciding)) is the latest decision covering \(unit)",
            deciding: deciding, frequency: allowed ? deciding.decision.frequency : nil)
    }

    static func covers(_ scope: ConsentScope, unit: UnitID, line: String?) -> Bool {
        switch scope {
        case .company: true
        case .unit(let scoped): scoped == unit
        case .lineOfBusiness(let scoped): scoped == line
        }
    }

    /// The latest decision; on equal decision times opt-out wins, then the entries' canonical order.
    static func latest(_ entries: [ConsentEntry]) -> ConsentEntry? {
        entries.max { a, b in
            if a.decision.decidedAtMillis != b.decision.decidedAtMillis { return a.decision.decidedAtMillis < b.decision.decidedAtMillis }
            if a.decision.choice != b.decision.choice { return a.decision.choice == .optIn }
            return (a.author, a.topic.attribute) < (b.author, b.topic.attribute)
        }
    }

    static func describe(_ entry: ConsentEntry) -> String {
        "\(entry.topic.attribute.rawValue) by \(entry.author) at \(entry.decision.decidedAtMillis)"
    }
}
