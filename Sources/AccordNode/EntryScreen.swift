public import AccordModel
public import AccordPolicy
public import AccordLedger

/// The last check on a batch that passed ``BatchAdmission``: leaves this node must not apply
/// although the batch itself is sound. A late or relayed leaf on an erased record, one carrying an
/// erased identifier and written before the request, and one past its class's retention (or, for
/// interaction events, their type's) are **redacted** in the batch, which still verifies, and
/// recorded as refused entries; the rest of the batch is applied and the author's stream goes on.
/// Refusing the whole batch instead would stop that stream for good: its next batch would find a gap.
public struct EntryScreen: Sendable {
    /// A batch after screening.
    public struct Screened: Sendable {
        /// The batch, with the refused leaves redacted.
        public var batch: VerifiedBatch
        /// Each leaf's record write, `nil` for redacted (or refused) leaves.
        public var writes: [RecordWrite?]
        /// The refused leaves: position and reason (never their content).
        public var refused: [(leaf: Int, reason: String)]
    }

    private let policy: Policy
    private let tombstones: TombstoneSet
    private let identifierAttributes: Set<String>
    private let now: Int64

    /// Creates the screen for one node at one time.
    /// - Parameters:
    ///   - policy: the policy the node holds.
    ///   - tombstones: the node's tombstones.
    ///   - now: the wall clock, milliseconds since 1970.
    public init(policy: Policy, tombstones: TombstoneSet, now: Int64) {
        self.policy = policy
        self.tombstones = tombstones
        self.identifierAttributes = Set(policy.attributes.filter { $0.type == .email || $0.type == .phone }.map(\.name))
        self.now = now
    }

    /// Screens an admitted batch.
    public func screen(_ admitted: BatchAdmission.Admitted) -> Screened {
        var screened = Screened(batch: admitted.batch, writes: admitted.writes, refused: [])
        let shareClass = admitted.batch.batch.stream.shareClass
        for (index, write) in admitted.writes.enumerated() {
            guard let write, let reason = refusal(of: write, shareClass: shareClass) else { continue }
            screened.batch = screened.batch.redacting(leafAt: index)
            screened.writes[index] = nil
            screened.refused.append((leaf: index, reason: reason))
        }
        return screened
    }

    /// A refused batch as it may be kept for inspection: the leaves this screen refuses (those of
    /// erased people above all) redacted, so a refusal never stores what an erasure removed.
    public func redacted(_ batch: Batch) -> Batch {
        var result = batch
        for (index, leaf) in batch.leaves.enumerated() {
            guard let write = try? leaf.recordWrite(), refusal(of: write, shareClass: batch.stream.shareClass) != nil else { continue }
            result = result.redacting(leafAt: index)
        }
        return result
    }

    /// Why a leaf must not be applied, or `nil`.
    public func refusal(of write: RecordWrite, shareClass: String) -> String? {
        guard ErasureRequest.requestID(ofLocalId: write.record.localId) == nil else { return nil }
        // A legal hold suspends erasure and retention for what it covers, also for copies arriving late.
        let held = policy.legalHold(record: write.record.description, shareClass: shareClass) != nil
        if held { return nil }
        if let request = tombstones.request(erasing: write.record) {
            return "its record was erased (erasure request \(request))"
        }
        let written = Int64(write.hlc.physicalMillis)
        if !tombstones.isEmpty {
            for change in write.changes where identifierAttributes.contains(change.attribute.rawValue) {
                let values: [String] = switch change.value {
                case .text(let text)?: [text]
                case .set(let items)?: items
                default: []
                }
                for value in values {
                    if let request = tombstones.request(erasing: value, writtenAtMillis: written) {
                        return "it carries an identifier erased by erasure request \(request), and was written before the request"
                    }
                }
            }
        }
        if let days = policy.retention[shareClass], Retention.isExpired(writtenAtMillis: written, days: days, now: now) {
            return "it is past the retention of class \"\(shareClass)\" (\(days) days)"
        }
        if let model = policy.interactions, shareClass == model.shareClass, !write.changes.isEmpty,
           write.changes.allSatisfy({ change in
               guard case .interaction(let event)? = change.value, let days = model.retentionDays[event.type] else { return false }
               return Retention.isExpired(event, days: days, now: now)
           }) {
            return "its interaction events are past their retention"
        }
        return nil
    }
}
