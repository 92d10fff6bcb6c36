import Foundation
public import AccordModel
public import AccordPolicy

/// One consent entry as a node holds it: what it is about, the decision, and who wrote it.
public struct ConsentEntry: Sendable, Equatable {
    /// Compares every field, the widening included.
    public static func == (lhs: ConsentEntry, rhs: ConsentEntry) -> Bool {
        lhs.topic == rhs.topic && lhs.decision == rhs.decision && lhs.author == rhs.author && lhs.record == rhs.record
            && lhs.widenedBy?.rule == rhs.widenedBy?.rule && lhs.widenedBy?.from == rhs.widenedBy?.from
    }

    /// Channel, purpose and scope.
    public var topic: ConsentTopic
    /// The decision with its evidence.
    public var decision: ConsentDecision
    /// The unit that recorded it.
    public var author: UnitID
    /// The record it is on.
    public var record: RecordKey
    /// When a propagation rule widened the decision: the rule's position and the topic as recorded
    /// (``topic`` then holds the widened scope). `nil` for an entry as recorded.
    public var widenedBy: (rule: Int, from: ConsentTopic)?

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
///    silently becomes an opt-out for the whole company, unless a propagation rule of the policy's
///    consent model widens it (an opt-out in the rule's `from` scope counts in its `to` scope: the
///    recording unit's line of business, or the company; the first rule that applies wins; rules
///    widen opt-outs only, and are applied before step 2, so a widened all/all opt-out is a
///    do-not-contact);
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
        let live = entries.filter { entry in entry.decision.expiresAtMillis.map { $0 > now } ?? true }.map { widened($0, policy: policy) }
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

    /// The entry as it counts under the policy's propagation rules: an opt-out a rule applies to
    /// gets the rule's wider scope (the reason then names the rule).
    static func widened(_ entry: ConsentEntry, policy: Policy) -> ConsentEntry {
        guard entry.decision.choice == .optOut, let rules = policy.consent?.propagation, !rules.isEmpty else { return entry }
        let level: ConsentPropagationRule.Level
        let recorder: String
        switch entry.topic.scope {
        case .unit(let scoped):
            level = .unit
            recorder = scoped.rawValue
        case .lineOfBusiness:
            level = .line
            recorder = entry.author.rawValue
        case .company:
            return entry
        }
        for (index, rule) in rules.enumerated()
        where rule.applies(channel: entry.topic.channel, purpose: entry.topic.purpose, level: level, author: entry.author.rawValue) {
            let scope: ConsentScope
            switch rule.to {
            case .company: scope = .company
            case .line, .unit:
                guard let line = policy.unit(recorder)?.lineOfBusiness else { continue }
                scope = .lineOfBusiness(line)
            }
            guard let topic = try? ConsentTopic(channel: entry.topic.channel, purpose: entry.topic.purpose, scope: scope) else { continue }
            var wide = entry
            wide.topic = topic
            wide.widenedBy = (rule: index, from: entry.topic)
            return wide
        }
        return entry
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
        let when = time(entry.decision.decidedAtMillis)
        let base = "\(entry.topic.attribute.rawValue) by \(entry.author) decided \(when)"
        guard let widening = entry.widenedBy else { return base }
        return "\(widening.from.attribute.rawValue) by \(entry.author) decided \(when), "
            + "widened to \(entry.topic.scope) by consent propagation rule \(widening.rule)"
    }

    /// A decision time as ISO 8601 in UTC, to the second (`2026-12-03T13:44:00Z`). Computed by
    /// hand: every verdict's reason names its deciding entry's time, and an `ISO8601DateFormatter`
    /// per call made effective consent for a million profiles take minutes (segments).
    static func time(_ millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(second / 3_600, 2)):\(padded(second % 3_600 / 60, 2)):\(padded(second % 60, 2))Z"
    }
}
