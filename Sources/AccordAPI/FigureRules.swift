import AccordPolicy
import AccordStore

extension GovernanceFigures {
    /// Consent decisions of one unit on one channel made in one calendar month (the rates over time).
    public struct ConsentMonth: Sendable, Equatable {
        /// The unit where the customer decided (`collectedBy`).
        public internal(set) var unit: String
        /// The channel (`all` included).
        public internal(set) var channel: String
        /// `2026-11`.
        public internal(set) var month: String
        /// Current decisions made in the month.
        public internal(set) var decisions: Int
        /// Of those, opt-outs.
        public internal(set) var optOuts: Int
        /// Of those, opt-ins limited to a frequency.
        public internal(set) var optDowns: Int
    }

    /// Records whose customer left one channel for another (see ``ChannelShifts``).
    public struct ChannelShift: Sendable, Equatable {
        /// The channel opted out of.
        public internal(set) var from: String
        /// The channel opted in to at the same time or later.
        public internal(set) var to: String
        /// Records showing the shift.
        public internal(set) var records: Int
    }

    /// What one unit brought to the consolidated profiles, in the order units joined (see ``JoinFigures``).
    public struct UnitJoin: Sendable, Equatable {
        /// The unit.
        public internal(set) var unit: String
        /// Its place in the join order, from 1 (the policy's member order).
        public internal(set) var position: Int
        /// Its records in profiles.
        public internal(set) var records: Int
        /// The profiles holding them.
        public internal(set) var profiles: Int
        /// Records beyond one per profile: the unit's own duplicates.
        public internal(set) var duplicates: Int
        /// Its records in a profile that also holds a record of a unit that joined earlier.
        public internal(set) var matchedEarlier: Int
        /// Profiles the unit started (no earlier unit's record in them).
        public internal(set) var newProfiles: Int
        /// Profiles of the federation once it had joined (those holding a record of it or an earlier unit).
        public internal(set) var profilesAfter: Int

        /// Share of the unit's records that are duplicates of another of its records, 0 with no records.
        public var duplicateRate: Double { records == 0 ? 0 : Double(duplicates) / Double(records) }
        /// Share of the unit's records that matched customers the federation already knew, 0 with no records.
        public var matchRateAtJoin: Double { records == 0 ? 0 : Double(matchedEarlier) / Double(records) }
    }
}

/// Channel shifts of one record's current consent decisions: per channel (not `all`) the newest
/// decision counts (later time first, an opt-out before an opt-in at the same millisecond); each
/// opt-in on a channel pairs with the newest opt-out on another channel decided at the same time
/// or before it, a shift from that channel to this one. A record adds at most one shift per pair.
enum ChannelShifts {
    /// One current decision of a record.
    struct Decision: Sendable, Equatable {
        var channel: String
        var optOut: Bool
        var decidedAtMillis: Int64
    }

    /// The shifts `(from, to)` of one record's decisions, sorted.
    static func of(_ decisions: [Decision]) -> [(from: String, to: String)] {
        var newest: [String: Decision] = [:]
        for decision in decisions where decision.channel != ConsentModel.everything {
            if let held = newest[decision.channel],
               (held.decidedAtMillis, held.optOut ? 1 : 0) >= (decision.decidedAtMillis, decision.optOut ? 1 : 0) { continue }
            newest[decision.channel] = decision
        }
        let optOuts = newest.values.filter(\.optOut)
        var shifts: [(from: String, to: String)] = []
        for optIn in newest.values where !optIn.optOut {
            let before = optOuts.filter { $0.decidedAtMillis <= optIn.decidedAtMillis }
            guard let left = before.max(by: { ($0.decidedAtMillis, $1.channel) < ($1.decidedAtMillis, $0.channel) }) else { continue }
            shifts.append((from: left.channel, to: optIn.channel))
        }
        return shifts.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }
}

/// The join figures from the profiles' membership: units join in `order` (the policy's member
/// order, which `accord unit add` appends to, so the same on every node); a unit's record counts as
/// matched at join when its profile also holds a record of a unit earlier in that order, so the
/// figures say what each unit added when it joined, under today's profiles (a later rule change
/// or steward decision changes them). Units outside `order` count as joining last.
enum JoinFigures {
    /// Per unit of `order`, in that order, from `memberships` in profile order (as ``AccordStore/Store/profileUnitCounts()`` answers).
    static func compute(_ memberships: [ProfileUnitCount], order: [String]) -> [GovernanceFigures.UnitJoin] {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        var joins = order.enumerated().map {
            GovernanceFigures.UnitJoin(unit: $1, position: $0 + 1, records: 0, profiles: 0, duplicates: 0, matchedEarlier: 0, newProfiles: 0, profilesAfter: 0)
        }
        var start = 0
        while start < memberships.count {
            var end = start
            while end < memberships.count && memberships[end].profile == memberships[start].profile { end += 1 }
            let members = memberships[start..<end]
            let earliest = members.map { rank[$0.unit] ?? Int.max }.min() ?? Int.max
            for member in members {
                guard let index = rank[member.unit] else { continue }
                joins[index].records += member.records
                joins[index].profiles += 1
                joins[index].duplicates += member.records - 1
                if index > earliest { joins[index].matchedEarlier += member.records }
            }
            if earliest < joins.count { joins[earliest].newProfiles += 1 }
            start = end
        }
        var total = 0
        for index in joins.indices {
            total += joins[index].newProfiles
            joins[index].profilesAfter = total
        }
        return joins
    }
}
