public import AccordLedger
public import AccordCrypto
public import AccordModel
import AccordPolicy
import AccordStore
import Foundation
import Synchronization

/// What became of a batch a peer sent.
public enum ReceiveOutcome: Sendable, Equatable {
    /// Verified and durably applied.
    case applied
    /// Already held: nothing changed.
    case duplicate
    /// Refused, for this reason; recorded with the reason, nothing applied.
    case refused(String)
}

/// A serving node's store behind one lock: sync connections, local writes and status all go
/// through it, so the store keeps one writer. Every change bumps ``changeCount``, which the
/// connections watch to push new batches to their peers at once.
///
/// `@unchecked Sendable`: the node is only touched inside `lock`, so threads never share it unguarded.
public final class SyncEngine: @unchecked Sendable {
    let lock = NSLock()
    let node: Node
    private let admissionState: Mutex<BatchAdmission>
    private let changes = Atomic<Int>(0)
    private let policyChanges = Atomic<Int>(0)
    private let maintenanceRuns = Atomic<Int>(0)
    /// How many times ``runMaintenance()`` finished (a serving node runs it once at start, then hourly).
    public var maintenanceCount: Int { maintenanceRuns.load(ordering: .acquiring) }
    /// What the engine did with peers' batches since it started (for `/metrics`).
    public let counters = SyncCounters()
    /// The node's unit.
    public let unit: UnitID
    /// The policy version the node holds now.
    public var policyVersion: UInt64 { UInt64(admission.policy.version) }
    /// Grows by one each time the node adopts a newer policy; connections restart on a change.
    public var policyEpoch: Int { policyChanges.load(ordering: .acquiring) }
    /// The rules in force now.
    var admission: BatchAdmission { admissionState.withLock { $0 } }
    let logger: Logger
    let now: @Sendable () -> UInt64
    /// The node's tombstones by generation (touched only under `lock`).
    private var tombstoneCache: (generation: Int64, set: TombstoneSet)?
    /// The policy document last seen in the node directory (touched only under `lock`).
    private var installedPolicy: [UInt8]?
    /// How far each stream is known to be stored, to skip checking copies of held batches; a hint
    /// only (the apply's transaction decides), raised after each commit.
    let heldThrough = Mutex<[StreamID: UInt64]>([:])

    /// Takes over a node for serving. Nothing else may use `node` afterwards.
    public init(node: Node, logger: Logger) {
        self.node = node
        self.unit = node.unit
        self.admissionState = Mutex(BatchAdmission(policy: node.policy, receiver: node.unit, settings: node.normalizationSettings()))
        self.logger = logger
        self.now = node.now
        let heads = (try? node.store.streamHeads()) ?? []
        heldThrough.withLock { held in for head in heads { held[head.stream] = head.sequence } }
    }

    /// Runs `body` with exclusive use of the node.
    public func withNode<T>(_ body: (Node) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(node)
    }

    /// How many changes (local writes or applied batches) the store has seen; grows by one per change.
    public var changeCount: Int { changes.load(ordering: .acquiring) }

    /// Signals that the store changed (after a local write through ``withNode(_:)``): wakes every
    /// connection so it pushes the new batches at once.
    public func noteChange() {
        changes.add(1, ordering: .releasing)
        for waiter in waiters.withLock({ Array($0.values) }) { waiter.signal() }
    }

    private let waiters = Mutex<[ObjectIdentifier: DispatchSemaphore]>([:])

    /// Registers a semaphore signalled on every change.
    func register(_ semaphore: DispatchSemaphore) { waiters.withLock { $0[ObjectIdentifier(semaphore)] = semaphore } }

    /// Stops signalling a semaphore.
    func unregister(_ semaphore: DispatchSemaphore) { _ = waiters.withLock { $0.removeValue(forKey: ObjectIdentifier(semaphore)) } }

    private let lastDataVersion = Atomic<Int>(0)

    /// Notices commits made by other processes (`accord import`, `accord record put`) and signals
    /// them as changes, so connected peers get the new batches at once.
    public func checkExternalWrites() {
        guard let version = try? withNode({ try $0.store.dataVersion() }) else { return }
        if lastDataVersion.exchange(version, ordering: .acquiringAndReleasing) != version { noteChange() }
    }

    /// The version vector: the head of every stream the node holds.
    public func heads() throws -> [StreamHead] {
        try withNode { try $0.store.streamHeads() }
    }

    /// Stored batches of a stream after a sequence number, oldest first.
    public func batches(in stream: StreamID, after: UInt64, limit: Int) throws -> [Batch] {
        try withNode { try $0.store.batches(in: stream, after: after, limit: limit) }
    }

    /// Whether `peer` may receive batches of `stream` under the node's policy (its class's audience).
    public func mayReceive(_ peer: String, _ stream: StreamID) -> Bool {
        admission.policy.mayReceive(unit: peer, shareClass: stream.shareClass)
    }

    /// Whether `unit` is a member of the federation under the node's policy.
    public func isMember(_ unit: String) -> Bool { admission.policy.isMember(unit) }

    /// Whether a peer presenting a certificate for `peer` may connect, under the policy in force
    /// now (it changes when the node adopts a newer version).
    public func admitPeer(_ peer: String) -> TLSPeerDecision {
        let policy = admission.policy
        guard let member = policy.unit(peer) else {
            return .refuse("unit \(peer) is not a member of federation \(policy.federation) (policy v\(policy.version))")
        }
        guard peer != unit.rawValue else { return .refuse("a node does not sync with its own unit") }
        guard member.certificateIdentity == PeerIdentity.unitURIPrefix + peer else {
            return .refuse("unit \(peer) must present the certificate identity \(member.certificateIdentity) (policy v\(policy.version))")
        }
        return .accept
    }

    /// Checks a batch a peer sent, and applies it in one durable transaction if it passes.
    /// A refused batch is recorded with its reason and never half-applied.
    /// - Parameters:
    ///   - batch: the batch as received.
    ///   - peer: the unit that sent it (it may relay another author's batch).
    /// - Returns: what became of it.
    public func receive(_ batch: Batch, from peer: String) -> ReceiveOutcome {
        apply([check(batch)], from: peer)[0]
    }

    /// What `accord serve` runs at start and every hour: the erasures owed (``Node/runErasures(only:)``)
    /// and retention (``Node/applyRetention()``), logging what went.
    public func runMaintenance() {
        defer { maintenanceRuns.add(1, ordering: .releasing) }
        withNode { node in runErasures(node, only: nil) }
        do {
            let report = try withNode { try $0.applyRetention() }
            if report.entries > 0 || report.leaves > 0 {
                logger.info("retention removed expired entries", ["entries": "\(report.entries)", "leaves": "\(report.leaves)"])
                noteChange()
            }
        } catch {
            logger.error("retention failed", ["reason": "\(error)"])
        }
    }

    /// Records the figures of every saved segment that has none from the current UTC day
    /// (``Node/recordSegmentFigures(refresh:dueOnly:)``), once the stored profiles are current (the
    /// profile service keeps them so): `accord serve` calls it every minute, so each saved segment
    /// gets one recording a day without anybody running `accord segment record`, the first one
    /// soon after the node starts. Logs counts only.
    public func recordSegmentFiguresIfDue() {
        do {
            let recorded: [SegmentFigure] = try withNode { node in
                guard try !node.savedSegments().isEmpty, try ProfileMaintainer.isCurrent(store: node.store, policy: node.policy) else { return [] }
                return try node.recordSegmentFigures(refresh: false, dueOnly: true)
            }
            if !recorded.isEmpty { logger.info("segment figures recorded", ["segments": "\(recorded.count)"]) }
        } catch {
            logger.error("cannot record segment figures", ["reason": "\(error)"])
        }
    }

    /// Retries taking erased bytes out of the WAL when an erasure's purge found it busy (another
    /// process, such as `accord record show`, was reading): `accord serve` calls it about once a
    /// second, so no byte of an erased person outlives the reader by more than a moment.
    public func purgeErasedBytesIfOwed() {
        do {
            let purged: Bool? = try withNode { node in try node.store.isPurgePending() ? try node.store.purgeFreedBytes() : nil }
            if purged == false { logger.info("erased bytes still in the write-ahead log: a reader holds it, retrying") }
        } catch {
            logger.error("cannot purge erased bytes", ["reason": "\(error)"])
        }
    }

    /// Carries out erasures (the node lock is held), logging each pass; wakes the connections so
    /// acknowledgements go out at once.
    func runErasures(_ node: Node, only requests: Set<RecordKey>?) {
        do {
            let runs = try node.runErasures(only: requests)
            for run in runs {
                logger.info("erasure carried out", ["erasure.request": run.request, "erasure.kind": run.kind.rawValue,
                                                    "erasure.records": "\(run.records.count)", "erasure.entries": "\(run.outcome.entries)",
                                                    "erasure.leaves": "\(run.outcome.leaves)", "erasure.purged": "\(run.purged)"])
            }
            if !runs.isEmpty { noteChange() }
        } catch {
            logger.error("erasure failed", ["reason": "\(error)"])
        }
    }

    /// The node's tombstones, reloaded when another erasure added some (the node lock is held).
    func tombstones(_ node: Node) throws -> TombstoneSet {
        let generation = try node.store.tombstoneGeneration()
        if let cached = tombstoneCache, cached.generation == generation { return cached.set }
        let set = try node.tombstoneSet()
        tombstoneCache = (generation, set)
        return set
    }

    /// Records the leaves a screen refused and logs them (the node lock is held).
    func noteRefused(_ screened: EntryScreen.Screened, node: Node, now: UInt64, peer: String) {
        guard !screened.refused.isEmpty else { return }
        let batch = screened.batch.batch
        do {
            try node.store.recordRefusedEntries(screened.refused.map {
                RefusedEntry(stream: batch.stream, sequence: batch.header.sequence, leaf: $0.leaf, reason: $0.reason, refusedAtMillis: Int64(now))
            })
        } catch {
            logger.error("cannot record refused entries", ["reason": "\(error)"])
        }
        logger.info("stored a batch with refused entries, redacted", [
            "peer.unit": peer, "batch.stream": batch.stream.description, "batch.sequence": "\(batch.header.sequence)",
            "entries.refused": "\(screened.refused.count)", "reason": screened.refused[0].reason,
        ])
    }

    /// Adopts a policy installed in the node directory by another process (`accord policy publish`
    /// or `install` while this node serves): connections restart under it and peers receive it.
    public func checkInstalledPolicy() {
        let result: Result<Int?, any Error> = withNode { node in
            Result {
                let document = try node.policyDocument()
                guard document != installedPolicy else { return nil }
                installedPolicy = document
                guard let candidate = try? Policy.parse(document), candidate.version > node.policy.version else { return nil }
                let adopted = try node.adoptPolicy(document)
                admissionState.withLock {
                    $0 = BatchAdmission(policy: adopted, receiver: node.unit, settings: node.normalizationSettings())
                }
                runErasures(node, only: nil)
                return adopted.version
            }
        }
        switch result {
        case .success(let version?):
            policyChanges.add(1, ordering: .releasing)
            logger.info("adopted the installed policy", ["policy.version": "\(version)"])
            noteChange()
        case .success(nil):
            break
        case .failure(let error):
            logger.warning("refused the installed policy", ["reason": "\(error)"])
        }
    }

    /// The signed policy document the node holds, to offer to peers with an older version.
    public func policyDocument() -> [UInt8]? {
        try? withNode { try $0.policyDocument() }
    }

    /// A policy document a peer sent: adopted if it is a newer version signed by a governance key
    /// of the policy the node holds (``PolicyTrust``); ignored when not newer; refused otherwise.
    /// - Returns: the adopted version, or `nil` when nothing changed.
    @discardableResult
    public func offerPolicy(_ document: [UInt8], from peer: String) -> Int? {
        let result: Result<Int?, any Error> = withNode { node in
            Result {
                if let candidate = try? Policy.parse(document), candidate.version <= node.policy.version { return nil }
                let adopted = try node.adoptPolicy(document)
                try node.audit("policy.adopt", subject: "policy v\(adopted.version)", detail: "received from \(peer)", operatorName: "sync")
                admissionState.withLock {
                    $0 = BatchAdmission(policy: adopted, receiver: node.unit, settings: node.normalizationSettings())
                }
                installedPolicy = try? node.policyDocument()
                runErasures(node, only: nil)
                return adopted.version
            }
        }
        switch result {
        case .success(let version?):
            policyChanges.add(1, ordering: .releasing)
            logger.info("adopted a newer policy", ["peer.unit": peer, "policy.version": "\(version)"])
            noteChange()
            return version
        case .success(nil):
            return nil
        case .failure(let error):
            logger.warning("refused a policy", ["peer.unit": peer, "reason": "\(error)"])
            return nil
        }
    }

    func record(_ reason: String, _ batch: Batch, node: Node, now: UInt64) {
        do {
            // The body is kept for inspection, without the leaves of erased people.
            let kept = EntryScreen(policy: admission.policy, tombstones: try tombstones(node), now: Int64(now)).redacted(batch)
            try node.store.recordRejection(stream: batch.stream, sequence: batch.header.sequence, reason: reason,
                                           body: BatchCodec.encode(kept), now: now)
        } catch {
            logger.error("cannot record a refused batch", ["reason": "\(error)"])
        }
    }
}
