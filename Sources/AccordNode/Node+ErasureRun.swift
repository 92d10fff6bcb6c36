public import AccordModel
import AccordPolicy
public import AccordStore
import Foundation

/// What one erasure pass did on this node.
public struct ErasureRun: Sendable, Equatable {
    /// What kind of pass it was.
    public enum Kind: String, Sendable {
        /// The node carried out a request and acknowledged it.
        case executed
        /// Records another node's acknowledgement named, which this node had not erased yet.
        case followUp
        /// Data a legal hold had kept, erased now that the hold is lifted.
        case sweep
    }

    /// The kind of pass.
    public var kind: Kind
    /// The request, `requester/id` (empty for a sweep over several requests).
    public var request: String
    /// The records erased.
    public var records: [RecordKey]
    /// What went.
    public var outcome: ErasureOutcome
    /// The legal holds that kept some of the data.
    public var holds: [String]
    /// Whether the WAL was truncated afterwards (else it is retried at the next run).
    public var purged: Bool
}

extension Node {
    /// Carries out what erasure owes on this node: every request it holds but has not carried out
    /// (erase, tombstone, acknowledge), records other nodes' acknowledgements name that it has not
    /// erased yet, and, after legal holds changed, data that a lifted hold had kept. Audits the
    /// requests and acknowledgements it sees for the first time.
    /// - Parameter requests: only these erasure records (`nil`: all, and the hold sweep).
    /// - Returns: the passes that erased something or acknowledged.
    @discardableResult
    public func runErasures(only requests: Set<RecordKey>? = nil) throws -> [ErasureRun] {
        guard policy.erasure != nil else { return [] }
        var runs: [ErasureRun] = []
        do {
            // A restored node waits for its own streams: an acknowledgement written now could reuse
            // a sequence number; once recovered, the pass runs and catches up.
            guard try store.recovery() == nil else { return [] }
            var records: [RecordKey] = []
            if let requests {
                records = requests.sorted()
            } else {
                for member in policy.units {
                    records += try store.recordKeys(unit: UnitID(unchecked: member.id), localIdPrefix: ErasureRequest.localIdPrefix)
                }
            }
            for record in records {
                guard let id = ErasureRequest.requestID(ofLocalId: record.localId) else { continue }
                let states = try store.recordStates(record)
                guard case .erasureRequest(let request)? = states[record.unit]?.register(ErasureRequest.attribute)?.value else { continue }
                let name = "\(record.unit)/\(id)"
                try noteFirstSight(name, states: states, request: request)
                if states[unit]?.register(ErasureAcknowledgement.attribute) == nil {
                    runs.append(try execute(request, on: record))
                } else if let run = try followUp(name, acknowledgements: states) {
                    runs.append(run)
                }
            }
            if requests == nil, let run = try sweepLiftedHolds() { runs.append(run) }
            if try store.isPurgePending() { try store.purgeFreedBytes() }
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.storage, "cannot carry out erasure", cause: error)
        }
        return runs
    }

    /// Erases what a request names on this node and acknowledges it, in one transaction: the
    /// records it names, those holding one of its identifiers (tested against its salted hashes),
    /// and those other nodes' acknowledgements name; legal holds keep what they cover.
    /// - Parameter searched: the caller already found the records holding `knownIdentifiers` (the requester).
    func execute(_ request: ErasureRequest, on record: RecordKey, knownIdentifiers: Set<String> = [], searched: Bool = false) throws -> ErasureRun {
        let name = "\(record.unit)/\(ErasureRequest.requestID(ofLocalId: record.localId) ?? "?")"
        var records = Set(request.records)
        var identifiers = knownIdentifiers
        do {
            let hashes = Set(request.identifierHashes)
            if !hashes.isEmpty && !searched {
                try forEachIdentifier { held, value in
                    if identifiers.contains(value) || hashes.contains(TombstoneSet.requestHash(value, salt: request.salt)) {
                        identifiers.insert(value)
                        records.insert(held)
                    }
                }
            }
            for (author, state) in try store.recordStates(record) where author != unit {
                if case .erasureAcknowledgement(let ack)? = state.register(ErasureAcknowledgement.attribute)?.value { records.formUnion(ack.records) }
            }
        } catch {
            throw NodeError(.storage, "cannot search the store for the records of \(name)", cause: error)
        }
        records = records.filter { ErasureRequest.requestID(ofLocalId: $0.localId) == nil }
        let tombstones = try self.tombstones(records: records, identifiers: identifiers, request: name, before: request.requestedAtMillis)
        let holds = try holdsKeeping(records)
        let at = Int64(now())
        let erased = records
        let acknowledging = ErasureAcknowledging(
            record: record,
            make: { outcome in
                PendingWrite(record: record, changes: [(attribute: ErasureAcknowledgement.attribute, value: .erasureAcknowledgement(
                    ErasureAcknowledgement(erasedAtMillis: at, records: erased, entriesRemoved: UInt64(outcome.entries),
                                           leavesRedacted: UInt64(outcome.leaves), holds: holds)))])
            }, shareClass: shareClass(of:), policyVersion: UInt64(policy.version), key: signingKey)
        let run = try erase(records, kind: .executed, request: name, tombstones: tombstones, holds: holds, acknowledge: acknowledging)
        try audit("erasure.execute", subject: name, detail: describe(run), operatorName: "erasure")
        return run
    }

    /// Erases the records acknowledgements of an executed request name and this node has not
    /// erased: other nodes' and also its own, whose records are back after a restore from a
    /// backup taken before the erasure (the acknowledgement returns from peers, the tombstones do not).
    private func followUp(_ name: String, acknowledgements states: [UnitID: RecordState]) throws -> ErasureRun? {
        let known = try TombstoneSet(store: store)
        var records = Set<RecordKey>()
        for (_, state) in states {
            guard case .erasureAcknowledgement(let ack)? = state.register(ErasureAcknowledgement.attribute)?.value else { continue }
            for record in ack.records where known.request(erasing: record) == nil && ErasureRequest.requestID(ofLocalId: record.localId) == nil {
                records.insert(record)
            }
        }
        guard !records.isEmpty else { return nil }
        let run = try erase(records, kind: .followUp, request: name, tombstones: try tombstones(records: records, identifiers: [], request: name, before: 0),
                            holds: try holdsKeeping(records), acknowledge: nil)
        try audit("erasure.followup", subject: name, detail: describe(run), operatorName: "erasure")
        return run
    }

    /// After the legal holds changed: erases what lifted holds had kept on erased records.
    private func sweepLiftedHolds() throws -> ErasureRun? {
        let mark = policy.legalHolds.map { hold in
            "\(hold.id):\((hold.classes ?? []).sorted().joined(separator: ",")):\((hold.records ?? []).sorted().joined(separator: ","))"
        }.joined(separator: ";")
        guard try store.erasureHoldsMark() != mark else { return nil }
        let known = try TombstoneSet(store: store)
        var lingering = Set<RecordKey>()
        if !known.isEmpty {
            try store.forEachRecordState { record, _, _ in if known.request(erasing: record) != nil { lingering.insert(record) } }
        }
        var run: ErasureRun?
        if !lingering.isEmpty {
            let swept = try erase(lingering, kind: .sweep, request: "", tombstones: [], holds: try holdsKeeping(lingering), acknowledge: nil)
            if swept.outcome.entries > 0 || swept.outcome.leaves > 0 {
                try audit("erasure.sweep", detail: "legal holds changed: " + describe(swept), operatorName: "erasure")
                run = swept
            }
        }
        try store.setErasureHoldsMark(mark)
        return run
    }

    private func erase(_ records: Set<RecordKey>, kind: ErasureRun.Kind, request: String, tombstones: [Tombstone], holds: [String],
                       acknowledge: ErasureAcknowledging?) throws -> ErasureRun {
        let policy = self.policy
        func held(_ record: RecordKey, _ shareClass: String?) -> Bool {
            shareClass.map { policy.legalHold(record: record.description, shareClass: $0) != nil } ?? false
        }
        do {
            let outcome = try store.erase(
                records: records, keepEntry: { record, attribute in held(record, policy.shareClass(ofAttribute: attribute.rawValue)) },
                keepLeaf: { name, record in held(record, name) }, tombstones: tombstones, now: now(), acknowledge: acknowledge)
            // Profiles are derived copies of the person's values: they go now, not at the next consolidation.
            try store.forgetProfiles(holding: records.sorted())
            let purged = try store.purgeFreedBytes()
            return ErasureRun(kind: kind, request: request, records: records.sorted(), outcome: outcome, holds: holds, purged: purged)
        } catch {
            throw NodeError(.storage, "cannot erase the records of \(request.isEmpty ? "the sweep" : request)", cause: error)
        }
    }

    /// Tombstones for erased records (every later entry on them is refused) and identifiers
    /// (entries carrying them written before `before` are refused), hashed with this node's salt.
    private func tombstones(records: Set<RecordKey>, identifiers: Set<String>, request: String, before: Int64) throws -> [Tombstone] {
        let hashing: TombstoneSet
        do {
            hashing = TombstoneSet(salt: try store.tombstoneSalt())
        } catch {
            throw NodeError(.storage, "cannot read the tombstone salt", cause: error)
        }
        return records.map { Tombstone(hash: hashing.recordHash($0), kind: .record, request: request, beforeMillis: .max) }
            + identifiers.map { Tombstone(hash: hashing.identifierHash($0), kind: .identifier, request: request, beforeMillis: before) }
    }

    /// The ids of the legal holds that cover some entry this node holds on the records.
    private func holdsKeeping(_ records: Set<RecordKey>) throws -> [String] {
        guard !policy.legalHolds.isEmpty else { return [] }
        var ids = Set<String>()
        for record in records {
            for state in try store.recordStates(record).values {
                for entry in state.entries {
                    guard let name = policy.shareClass(ofAttribute: entry.attribute.rawValue),
                          let hold = policy.legalHold(record: record.description, shareClass: name) else { continue }
                    ids.insert(hold.id)
                }
            }
        }
        return ids.sorted()
    }

    /// Audits, once, a request received from another unit and each other unit's acknowledgement.
    private func noteFirstSight(_ name: String, states: [UnitID: RecordState], request: ErasureRequest) throws {
        let requester = name.split(separator: "/").first.map(String.init) ?? ""
        do {
            if requester != unit.rawValue, try store.noteErasureSeen(request: name, unit: requester) {
                try audit("erasure.received", subject: name, detail: "requested by \(requester) at \(Self.isoTime(request.requestedAtMillis)), "
                    + "\(request.records.count) records, \(request.identifierHashes.count) identifiers", operatorName: "sync")
            }
            for (author, state) in states.sorted(by: { $0.key < $1.key }) where author != unit {
                guard case .erasureAcknowledgement(let ack)? = state.register(ErasureAcknowledgement.attribute)?.value,
                      try store.noteErasureSeen(request: name, unit: author.rawValue) else { continue }
                try audit("erasure.acknowledged", subject: name, detail: "\(author) erased \(ack.records.count) records at "
                    + "\(Self.isoTime(ack.erasedAtMillis))" + (ack.holds.isEmpty ? "" : "; kept under legal hold: \(ack.holds.joined(separator: ", "))"),
                          operatorName: "sync")
            }
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.storage, "cannot note the erasure entries of \(name)", cause: error)
        }
    }

    private func describe(_ run: ErasureRun) -> String {
        "\(run.records.count) records: \(run.outcome.entries) entries removed, \(run.outcome.leaves) leaves redacted"
            + (run.holds.isEmpty ? "" : "; kept under legal hold: \(run.holds.joined(separator: ", "))")
    }

    static func isoTime(_ millis: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
