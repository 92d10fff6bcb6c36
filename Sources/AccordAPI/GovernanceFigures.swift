import AccordLedger
import Foundation
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore

/// Everything the governance dashboard shows, computed from one read snapshot: aggregates only,
/// plus erasure and access requests by their reference (never a customer's values or record key).
struct GovernanceFigures: Sendable {
    /// One member of the federation as this node sees it.
    struct Member: Sendable {
        var unit: String
        var name: String
        var isSelf: Bool
        /// Whether a sync session is up (`nil`: not a peer of this node).
        var connected: Bool?
        var lastContactMillis: UInt64
        var policyVersion: UInt64?
        /// Batches the peer lacks of ours and we lack of its, summed over streams.
        var peerLacks: UInt64
        var weLack: UInt64
        /// Batches authored by the member that this node refused.
        var refused: Int
        /// Batches of the member held, and when the newest was stored here.
        var batches: Int
        var lastBatchMillis: Int64?
    }

    /// Completeness and validity of one attribute over one unit's records.
    struct Quality: Sendable {
        var unit: String
        var attribute: String
        var records: Int
        var present: Int
        /// Values validated (a sample on large units, see ``GovernanceScan/validitySample``), and those that passed.
        var checked: Int
        var valid: Int
    }

    /// Consent decisions of one unit on one channel.
    struct ConsentRates: Sendable {
        var unit: String
        var channel: String
        var decisions: Int
        var optOuts: Int
        var optDowns: Int
    }

    /// Opt-ins and opt-outs decided in one calendar month (`2026-11`).
    struct Month: Sendable {
        var month: String
        var optIns: Int
        var optOuts: Int
    }

    /// An erasure request and each member's acknowledgement.
    struct Erasure: Sendable {
        var name: String
        var reference: String
        var requestedAtMillis: Int64
        var acknowledgements: [(unit: String, erasedAtMillis: Int64?)]
    }

    /// An access request (subject export) from the audit log.
    struct Access: Sendable {
        var atMillis: Int64
        var unit: String
        var operatorName: String
        var dueAtMillis: Int64?
    }

    /// A refused batch: its author, class and time (the reason names records, so it is not shown).
    struct Refusal: Sendable {
        var author: String
        var reason: RefusalClass
        var atMillis: Int64
    }

    var unit: String
    var federation: String
    var policyVersion: Int
    var generatedAtMillis: Int64
    var freshnessHours: Int
    var records: Int
    var recordStates: Int
    var members: [Member] = []
    var quality: [Quality] = []
    var consent: [ConsentRates] = []
    var months: [Month] = []
    var doNotContact = 0
    var expiringWithin30Days = 0
    var erasures: [Erasure] = []
    var accessRequests: [Access] = []
    var refusals: [Refusal] = []
    var refusalsByClass: [RefusalClass: Int] = [:]
    /// The consolidated profiles, `nil` when the store holds none (a build without persisted profiles).
    var consolidation: ConsolidationSummary?
}

extension GovernanceFigures {
    /// The figures of `node` now, with the sync peers' status.
    static func compute(_ node: Node, peers: [PeerStatus]) throws -> GovernanceFigures {
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
                let theirs = Dictionary(peer.vector.map { ($0.stream.description, $0.sequence) }, uniquingKeysWith: max)
                for lag in StreamLag.between(ours: ours, theirs: theirs) {
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
    func isStale(_ member: Member) -> Bool {
        guard let last = member.lastBatchMillis else { return true }
        return generatedAtMillis - last > Int64(freshnessHours) * 3_600_000
    }
}
