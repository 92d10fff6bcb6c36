public import AccordLedger
import AccordModel
import AccordPolicy
import AccordStore
import Synchronization

/// A batch a peer sent, checked against the policy ahead of its apply (the first stage of the
/// receive pipeline: it needs no store lock, so it runs on another core while earlier batches are
/// applied). Made by ``SyncEngine/check(_:)``, consumed by ``SyncEngine/apply(_:from:)``.
public struct CheckedBatch: Sendable {
    /// The batch as received.
    public let batch: Batch
    /// The admission's decision; `nil` when the batch is probably held already (the check is then
    /// made under the store lock, after looking for the stored copy).
    let verdict: BatchAdmission.Verdict?
    /// The wall clock of the check, milliseconds since 1970.
    let checkedAt: UInt64
}

extension SyncEngine {
    /// What became of one batch of a group inside its transaction; acted on after the commit.
    private enum Step {
        case applied(EntryScreen.Screened)
        case duplicate
        case refused(String)
    }

    /// Runs the checks of ``BatchAdmission`` on a batch, without the store lock.
    /// - Parameter batch: the batch as received.
    /// - Returns: the batch with its verdict, for ``apply(_:from:)``.
    public func check(_ batch: Batch) -> CheckedBatch {
        let checkedAt = now()
        // A copy of a batch already held (relays in a mesh deliver copies) needs no checks: its
        // hash equals the stored, verified batch's. The apply looks for it first.
        let held = heldThrough.withLock { $0[batch.stream] ?? 0 }
        if batch.header.sequence <= held { return CheckedBatch(batch: batch, verdict: nil, checkedAt: checkedAt) }
        return CheckedBatch(batch: batch, verdict: admission.check(batch, now: checkedAt), checkedAt: checkedAt)
    }

    /// Applies checked batches, in order, in as few durable transactions as their kinds allow
    /// (group commit: a batch of the erasure class ends a group, so its erasures run before the
    /// next batch is screened). Each batch is applied in a savepoint of its own: a refused one is
    /// rolled back alone, recorded with its reason after the commit, and the others stay.
    /// Nothing is reported applied before the transaction holding it committed.
    /// - Parameters:
    ///   - batches: batches from ``check(_:)``, in the order received.
    ///   - peer: the unit that sent them.
    /// - Returns: what became of each batch, in the same order.
    public func apply(_ batches: [CheckedBatch], from peer: String) -> [ReceiveOutcome] {
        let erasureClass = admission.policy.erasure?.shareClass
        var outcomes: [ReceiveOutcome] = []
        outcomes.reserveCapacity(batches.count)
        var start = 0
        while start < batches.count {
            var end = start + 1
            while end < batches.count && batches[end - 1].batch.stream.shareClass != erasureClass { end += 1 }
            let run = Array(batches[start..<end])
            outcomes += withNode { node in
                applyGroup(run, peer: peer, node: node)
                    ?? run.map { applyGroup([$0], peer: peer, node: node)?.first ?? .refused("batch \($0.batch.describe): not applied") }
            }
            start = end
        }
        var appliedAny = false
        for (checked, outcome) in zip(batches, outcomes) {
            switch outcome {
            case .applied:
                appliedAny = true
            case .refused(let reason):
                logger.warning("refused a batch", ["peer.unit": peer, "batch.stream": checked.batch.stream.description,
                                                   "batch.sequence": "\(checked.batch.header.sequence)", "reason": reason])
            case .duplicate:
                break
            }
        }
        if appliedAny { noteChange() }
        return outcomes
    }

    /// Applies a run of batches in one transaction (the node lock is held), then does what follows
    /// each commit: records refusals and refused entries, runs erasures. Returns `nil` when the
    /// transaction failed to commit with more than one batch in it (nothing of it is stored; the
    /// caller applies them one at a time).
    private func applyGroup(_ run: [CheckedBatch], peer: String, node: Node) -> [ReceiveOutcome]? {
        let rules = admission
        var steps: [Step] = []
        let now = node.now()
        do {
            try node.store.group {
                for checked in run { steps.append(try step(checked, rules: rules, node: node)) }
            }
        } catch {
            guard run.count == 1 else { return nil }
            steps = [.refused("batch \(run[0].batch.describe): \(error)")]
        }
        var outcomes: [ReceiveOutcome] = []
        var highest: [StreamID: UInt64] = [:]
        let committed = node.now()
        for (checked, step) in zip(run, steps) {
            let batch = checked.batch
            switch step {
            case .applied(let screened):
                counters.applied(entries: screened.writes.count { $0 != nil }, refusedEntries: screened.refused.count,
                                 latency: Double(committed > checked.checkedAt ? committed - checked.checkedAt : 0) / 1000)
                noteRefused(screened, node: node, now: now, peer: peer)
                if batch.stream.shareClass == rules.policy.erasure?.shareClass {
                    runErasures(node, only: Set(screened.writes.compactMap { $0?.record }))
                }
                highest[batch.stream] = max(highest[batch.stream] ?? 0, batch.header.sequence)
                outcomes.append(.applied)
            case .duplicate:
                counters.duplicate()
                outcomes.append(.duplicate)
            case .refused(let reason):
                counters.refused(reason)
                record(reason, batch, node: node, now: checked.checkedAt)
                outcomes.append(.refused(reason))
            }
        }
        heldThrough.withLock { held in
            for (stream, sequence) in highest where sequence > held[stream] ?? 0 { held[stream] = sequence }
        }
        return outcomes
    }

    /// One batch inside the group's transaction: refused by its checks, a copy of a held batch,
    /// or screened and applied in its own savepoint.
    private func step(_ checked: CheckedBatch, rules: BatchAdmission, node: Node) throws -> Step {
        let batch = checked.batch
        var verdict = checked.verdict
        if verdict == nil {
            if try node.store.holds(batch) { return .duplicate }
            verdict = rules.check(batch, now: checked.checkedAt)
        }
        switch verdict {
        case .refuse(let reason)?:
            // A refused copy of a batch the node holds is a harmless replay.
            return try node.store.holds(batch) ? .duplicate : .refused(reason)
        case .admit(let admitted)?:
            let now = node.now()
            do {
                try node.store.observe(batch.header.createdAt, now: now, maxFutureMillis: UInt64(max(0, node.policy.clock.maxFutureMillis)))
                // Leaves of erased people and past retention are stored redacted, not applied.
                let screened = EntryScreen(policy: rules.policy, tombstones: try tombstones(node), now: Int64(now)).screen(admitted)
                switch try node.store.applyInGroup(screened.batch, writes: screened.writes, now: now) {
                case .duplicate: return .duplicate
                case .applied: return .applied(screened)
                }
            } catch {
                return .refused("batch \(batch.describe): \(error)")
            }
        case nil:
            return .refused("batch \(batch.describe): not checked")
        }
    }
}
