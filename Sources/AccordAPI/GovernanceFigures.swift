import AccordLedger
import Foundation
import AccordModel
public import AccordNode
import AccordPolicy
public import AccordStore

/// Everything the governance dashboard shows, computed from one read snapshot: aggregates only,
/// plus erasure and access requests by their reference (never a customer's values or record key).
public struct GovernanceFigures: Sendable {
    /// One member of the federation as this node sees it.
    public struct Member: Sendable {
        /// The unit id.
        public internal(set) var unit: String
        /// Its display name.
        public internal(set) var name: String
        /// Whether it is this node's unit.
        public internal(set) var isSelf: Bool
        /// Whether a sync session is up (`nil`: not a peer of this node).
        public internal(set) var connected: Bool?
        /// When the peer was last heard from, milliseconds since 1970 (0: never).
        public internal(set) var lastContactMillis: UInt64
        /// The policy version it announced (this node's own for itself).
        public internal(set) var policyVersion: UInt64?
        /// Batches the peer lacks of ours and we lack of its, summed over streams.
        public internal(set) var peerLacks: UInt64
        /// See ``peerLacks``.
        public internal(set) var weLack: UInt64
        /// Batches authored by the member that this node refused.
        public internal(set) var refused: Int
        /// Batches of the member held, and when the newest was stored here.
        public internal(set) var batches: Int
        /// See ``batches``.
        public internal(set) var lastBatchMillis: Int64?
    }

    /// Completeness and validity of one attribute over one unit's records.
    public struct Quality: Sendable {
        /// The owning unit.
        public internal(set) var unit: String
        /// The catalog attribute.
        public internal(set) var attribute: String
        /// The unit's records.
        public internal(set) var records: Int
        /// Of those, records holding a value of the attribute.
        public internal(set) var present: Int
        /// Values validated (a sample on large units, see ``GovernanceScan/validitySample``), and those that passed.
        public internal(set) var checked: Int
        /// See ``checked``.
        public internal(set) var valid: Int
    }

    /// Consent decisions of one unit on one channel.
    public struct ConsentRates: Sendable {
        /// The unit where the customer decided (`collectedBy`).
        public internal(set) var unit: String
        /// The channel.
        public internal(set) var channel: String
        /// Current decisions.
        public internal(set) var decisions: Int
        /// Of those, opt-outs.
        public internal(set) var optOuts: Int
        /// Of those, opt-ins limited to a frequency.
        public internal(set) var optDowns: Int
    }

    /// Opt-ins and opt-outs decided in one calendar month (`2026-11`).
    public struct Month: Sendable {
        /// `2026-11`.
        public internal(set) var month: String
        /// Current opt-ins decided in the month.
        public internal(set) var optIns: Int
        /// Current opt-outs decided in the month.
        public internal(set) var optOuts: Int
    }

    /// An erasure request and each member's acknowledgement.
    public struct Erasure: Sendable {
        /// The request's name.
        public internal(set) var name: String
        /// The requester's reference.
        public internal(set) var reference: String
        /// When it was requested, milliseconds since 1970.
        public internal(set) var requestedAtMillis: Int64
        /// Per member unit, when it erased (`nil`: pending).
        public internal(set) var acknowledgements: [(unit: String, erasedAtMillis: Int64?)]
    }

    /// An access request (subject export) from the audit log.
    public struct Access: Sendable {
        /// When it was answered, milliseconds since 1970.
        public internal(set) var atMillis: Int64
        /// The unit whose records were exported.
        public internal(set) var unit: String
        /// Who exported them.
        public internal(set) var operatorName: String
        /// When the answer is due, if recorded.
        public internal(set) var dueAtMillis: Int64?
    }

    /// A refused batch: its author, class and time (the reason names records, so it is not shown).
    public struct Refusal: Sendable {
        /// The batch's author (`?` when it did not decode).
        public internal(set) var author: String
        /// The reason's class.
        public internal(set) var reason: RefusalClass
        /// When it was refused, milliseconds since 1970.
        public internal(set) var atMillis: Int64
    }

    /// This node's unit.
    public internal(set) var unit: String
    /// The federation.
    public internal(set) var federation: String
    /// The policy version this node holds.
    public internal(set) var policyVersion: Int
    /// When the figures were computed, milliseconds since 1970.
    public internal(set) var generatedAtMillis: Int64
    /// The policy's freshness threshold (`reporting.freshnessHours`).
    public internal(set) var freshnessHours: Int
    /// Records held (all owners).
    public internal(set) var records: Int
    /// Record states held (record × author).
    public internal(set) var recordStates: Int
    /// Every member unit, in policy order.
    public internal(set) var members: [Member] = []
    /// Per unit and attribute.
    public internal(set) var quality: [Quality] = []
    /// Per deciding unit and channel, over current decisions.
    public internal(set) var consent: [ConsentRates] = []
    /// Per deciding unit, channel and month of the last 12 with decisions, in that order (the rates over time).
    public internal(set) var consentMonths: [ConsentMonth] = []
    /// Channel shifts, most records first.
    public internal(set) var channelShifts: [ChannelShift] = []
    /// Company-wide, per month of the last 12, oldest first.
    public internal(set) var months: [Month] = []
    /// Records whose current `all/all/company` decision is an opt-out.
    public internal(set) var doNotContact = 0
    /// Current decisions expiring within 30 days.
    public internal(set) var expiringWithin30Days = 0
    /// Erasure requests.
    public internal(set) var erasures: [Erasure] = []
    /// Access requests (subject exports), newest first.
    public internal(set) var accessRequests: [Access] = []
    /// The most recent refusals (at most 20).
    public internal(set) var refusals: [Refusal] = []
    /// Refused batches by class.
    public internal(set) var refusalsByClass: [RefusalClass: Int] = [:]
    /// Per member unit in join order, what it brought to the profiles; empty without profile tables.
    public internal(set) var joins: [UnitJoin] = []
    /// The consolidated profiles, `nil` when the store holds none (a build without persisted profiles).
    public internal(set) var consolidation: ConsolidationSummary?
}

extension GovernanceFigures {
    /// The figures of `node` now, with the sync peers' status (a serving node's peer links).
    static func compute(_ node: Node, peers: [PeerStatus]) throws -> GovernanceFigures {
        try compute(node, peers: peers.map(ServedPeer.init))
    }

    /// The figures of `node` now, with the sync peers' status as `accord serve` publishes it
    /// (``AccordNode/Node/servingSnapshot()``; none when the node is not serving).
    /// - Throws: ``AccordNode/NodeError`` or ``AccordStore/StoreError`` when the node cannot be read.
    public static func compute(_ node: Node, peers: [ServedPeer]) throws -> GovernanceFigures {
        let status = try node.status()
        let policy = node.policy
        let now = Int64(node.now())
        var figures = GovernanceFigures(
            unit: status.unit, federation: status.federation, policyVersion: status.policyVersion, generatedAtMillis: now,
            freshnessHours: policy.freshnessHours, records: status.counts.records, recordStates: status.counts.recordStates)
        let authors = Dictionary(try node.store.batchesByAuthor().map { ($0.author, $0) }, uniquingKeysWith: { $1 })
        let refusals = try node.store.rejectedBatches(limit: 10_000)
        for refusal in refusals {
            figures.refusalsByClass[RefusalClass.of(refusal.reason), default: 0] += 1
        }
        figures.refusals = refusals.prefix(20).map {
            Refusal(author: $0.stream?.author.rawValue ?? "?", reason: RefusalClass.of($0.reason), atMillis: $0.rejectedAtMillis)
        }
        let refusedByAuthor = Dictionary(grouping: refusals, by: { $0.stream?.author.rawValue ?? "?" }).mapValues(\.count)
        let ours = Dictionary(status.streams.map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
        let peersByUnit = Dictionary(peers.map { ($0.unit, $0) }, uniquingKeysWith: { $1 })
        figures.members = policy.units.map { member in
            let peer = peersByUnit[member.id]
            var lacks: (peer: UInt64, we: UInt64) = (0, 0)
            if let peer {
                for lag in StreamLag.between(ours: ours, theirs: peer.vector) {
                    lacks.peer += lag.peerLacks
                    lacks.we += lag.weLack
                }
            }
            return Member(
                unit: member.id, name: member.name, isSelf: member.id == status.unit, connected: peer?.connected,
                lastContactMillis: peer?.lastContactMillis ?? 0,
                policyVersion: member.id == status.unit ? UInt64(status.policyVersion) : peer?.policyVersion,
                peerLacks: lacks.peer, weLack: lacks.we, refused: refusedByAuthor[member.id] ?? 0,
                batches: authors[member.id]?.batches ?? 0, lastBatchMillis: authors[member.id]?.lastStoredAtMillis)
        }
        try GovernanceScan.run(node, policy: policy, now: now, into: &figures)
        figures.consolidation = try node.store.consolidationSummary()
        figures.joins = try node.store.profileUnitCounts().map { JoinFigures.compute($0, order: policy.units.map(\.id)) } ?? []
        figures.erasures = try node.erasureStatuses().map { status in
            Erasure(name: status.name, reference: status.request.reference, requestedAtMillis: status.request.requestedAtMillis,
                    acknowledgements: status.units.map { (unit: $0.unit, erasedAtMillis: $0.acknowledgement?.erasedAtMillis) })
        }
        figures.accessRequests = try node.store.auditEntries(action: "subject.export", limit: 200).map {
            Access(atMillis: $0.atMillis, unit: $0.unit, operatorName: $0.operatorName, dueAtMillis: $0.dueAtMillis)
        }
        return figures
    }

    /// Whether a member's data is stale: no batch held, or the newest older than the threshold.
    public func isStale(_ member: Member) -> Bool {
        guard let last = member.lastBatchMillis else { return true }
        return generatedAtMillis - last > Int64(freshnessHours) * 3_600_000
    }
}
