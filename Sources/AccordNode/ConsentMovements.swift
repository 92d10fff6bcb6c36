public import AccordModel
public import AccordPolicy
public import AccordStore

/// How one person's consent moved between two recordings of a segment, for the segment's unit and
/// purpose, computed from the consent entries the node holds (so every node holding the same
/// entries gives the same movements). The state "before" is effective consent as of the previous
/// recording from the entries decided by then; the state "now" is effective consent as of this
/// recording. A register keeps a topic's latest decision only, so a decision overwritten within
/// the interval is not seen: the movements are the ones the held entries show.
///
/// - A **cross-opt** movement ("channel shift"): an opt-out of channel X decided since the previous
///   recording (the person was not opted out of X before; a company-wide do-not-contact is not a
///   shift) while the person is now allowed on another channel Y for the purpose: `cross-opt-reachable`
///   when Y was already allowed before, `cross-opt-opted-in` when Y became allowed since. One
///   movement per person and channel X; Y is the first newly allowed channel by name, else the first
///   allowed one.
/// - An **opt-down** movement: the person is allowed on X with a frequency limit set by a decision
///   since the previous recording (contact reduced rather than an opt-out), unless the held entries
///   show the same limit already in force, or an opt-out, before. A person's new decision on the
///   same topic replaces the earlier one in its register, so "unlimited before" usually shows as
///   no earlier decision: a limited opt-in with no earlier decision held counts as an opt-down.
public enum ConsentMovements {
    /// A person's movement.
    public struct Movement: Sendable, Hashable, Comparable {
        /// `cross-opt-reachable`, `cross-opt-opted-in` or `opt-down` (``SegmentMove/kinds``).
        public var kind: String
        /// The channel opted out of, or limited.
        public var from: String
        /// The channel still or newly allowed (``from`` for an opt-down).
        public var to: String

        /// Creates a movement.
        public init(kind: String, from: String, to: String) {
            self.kind = kind
            self.from = from
            self.to = to
        }

        /// By kind (in ``SegmentMove/kinds`` order), then channels.
        public static func < (lhs: Movement, rhs: Movement) -> Bool {
            SegmentMove(kind: lhs.kind, from: lhs.from, to: lhs.to, people: 0) < SegmentMove(kind: rhs.kind, from: rhs.from, to: rhs.to, people: 0)
        }
    }

    /// One person's movements between `since` and `at`, sorted.
    /// - Parameters:
    ///   - entries: every consent entry on the person's records.
    ///   - since: the previous recording, milliseconds since 1970.
    ///   - at: this recording.
    ///   - unit: the segment's asking unit.
    ///   - purpose: the segment's purpose.
    ///   - policy: the policy (channels, lines of business, propagation rules).
    public static func of(_ entries: [ConsentEntry], since: Int64, at: Int64, unit: UnitID, purpose: String, policy: Policy) -> [Movement] {
        guard since < at, let model = policy.consent, entries.contains(where: { $0.decision.decidedAtMillis > since && $0.decision.decidedAtMillis <= at })
        else { return [] }
        let channels = model.channels.sorted()
        let earlier = entries.filter { $0.decision.decidedAtMillis <= since }
        let current = entries.filter { $0.decision.decidedAtMillis <= at }
        let before = channels.map { ConsentEvaluation.evaluate(earlier, unit: unit, channel: $0, purpose: purpose, policy: policy, now: since) }
        let now = channels.map { ConsentEvaluation.evaluate(current, unit: unit, channel: $0, purpose: purpose, policy: policy, now: at) }
        func decidedSince(_ verdict: ConsentVerdict) -> Bool { verdict.deciding.map { $0.decision.decidedAtMillis > since } ?? false }
        var movements: [Movement] = []
        for (index, channel) in channels.enumerated() {
            let (was, isNow) = (before[index], now[index])
            if !isNow.allowed, let deciding = isNow.deciding, deciding.decision.choice == .optOut, decidedSince(isNow), !isDoNotContact(deciding),
               was.deciding?.decision.choice != .optOut {
                let others = channels.indices.filter { $0 != index && now[$0].allowed }
                if let newly = others.first(where: { !before[$0].allowed }) {
                    movements.append(Movement(kind: "cross-opt-opted-in", from: channel, to: channels[newly]))
                } else if let still = others.first {
                    movements.append(Movement(kind: "cross-opt-reachable", from: channel, to: channels[still]))
                }
            }
            if isNow.allowed, let limit = isNow.frequency, decidedSince(isNow), was.deciding?.decision.choice != .optOut,
               !(was.allowed && was.frequency == limit) {
                movements.append(Movement(kind: "opt-down", from: channel, to: channel))
            }
        }
        return movements.sorted()
    }

    /// The movements of many people, counted (sorted by kind and channels).
    public static func count(_ movements: some Sequence<Movement>) -> [SegmentMove] {
        var counts: [Movement: Int] = [:]
        for movement in movements { counts[movement, default: 0] += 1 }
        return counts.map { SegmentMove(kind: $0.key.kind, from: $0.key.from, to: $0.key.to, people: $0.value) }.sorted()
    }

    private static func isDoNotContact(_ entry: ConsentEntry) -> Bool {
        entry.topic.channel == ConsentModel.everything && entry.topic.purpose == ConsentModel.everything && entry.topic.scope == .company
    }
}
