import AccordModel
public import AccordPolicy
public import AccordStore
import AccordConsolidation
import AccordLedger

/// What one consolidation step did.
public struct ConsolidationReport: Sendable, Equatable {
    /// Whether every profile was recomputed (first step of a process, new rules, or asked for).
    public var full: Bool
    /// Stored batches read since the last step.
    public var batchesRead: Int
    /// Records whose entries changed.
    public var recordsTouched: Int
    /// Profiles written (new or changed).
    public var profilesWritten: Int
    /// Profiles removed (merged away, split off or erased).
    public var profilesRemoved: Int
    /// Profiles the node holds now.
    public var profiles: Int
    /// Pairs in the steward review queue now.
    public var reviewPairs: Int
}

/// Keeps a node's consolidated profiles up to date, off the import and apply paths: each step reads
/// the batches stored since its watermark (the `batches` row id), re-resolves only the records they
/// touch (the engine re-scores their candidates and re-clusters the affected components), renders
/// the changed profiles with survivorship and lineage, and stores them with the new watermark in one
/// transaction. The first step in a process loads every record (the engine's state lives in memory)
/// and rewrites every profile unless the stored ones are current; a change of the rules, or of the
/// stored profiles by someone else (another process, an erasure, retention), rewrites them all.
/// Profiles are a pure function of the entries held and the policy's rules, so nodes holding the
/// same entries store identical profiles.
///
/// Not `Sendable`: one owner, typically on its own thread with its own ``Store`` connection.
public final class ProfileMaintainer {
    let store: Store
    let policy: Policy
    let threads: Int
    /// Profiles per transaction of a full rebuild.
    let chunk: Int
    private var resolver: IdentityResolver?
    private var watermark: ProfileWatermark?
    /// The page cache of the store's connection while a full rebuild writes (see ``Store/withPageCache(mebibytes:_:)``).
    static let rebuildCacheMiB = 256

    /// Creates a maintainer over a store (open one of its own when others use the node's store).
    /// - Parameters:
    ///   - threads: threads of the engine's batch load.
    ///   - chunk: profiles written per transaction by a full rebuild.
    public init(store: Store, policy: Policy, threads: Int = 2, chunk: Int = 2_000) {
        self.store = store
        self.policy = policy
        self.threads = threads
        self.chunk = max(1, chunk)
    }

    /// The fingerprint of the policy's rules, parameters and survivorship.
    public static func fingerprint(_ policy: Policy) -> String {
        let bytes = ConsolidationJSON.encode(policy.resolutionRules) + [0] + ConsolidationJSON.encode(policy.matchParameters) + [0]
            + ConsolidationJSON.encode(policy.survivorshipRules)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return "fnv1a64:" + String(hash, radix: 16) + ":" + String(bytes.count)
    }

    /// Whether the stored profiles include every stored batch under the current rules.
    public static func isCurrent(store: Store, policy: Policy) throws -> Bool {
        guard let mark = try store.profileWatermark() else { return false }
        let latest = try store.latestBatchRow()
        return mark.fingerprint == fingerprint(policy) && mark.batch == latest
    }

    /// Runs one step.
    /// - Parameter full: recompute every profile even if an incremental step would do.
    public func step(full: Bool = false) throws -> ConsolidationReport {
        // Read before any record: an erasure committing while this step runs makes its writes void.
        let forgotten = try store.profileForgetCount()
        let latest = try store.latestBatchRow()
        let fingerprint = Self.fingerprint(policy)
        // Stored profiles changed behind this maintainer's back (another process recomputed them, an
        // erasure or retention forgot some): recompute.
        let stored = try store.profileWatermark()
        if full || resolver == nil || watermark?.fingerprint != fingerprint || stored != watermark {
            // The first step of a process over profiles that are current (a restarted node) loads the
            // engine's state and keeps what is stored: rewriting a million profiles at every start
            // would cost minutes and gigabytes of writes for the same bytes.
            let current = stored == ProfileWatermark(batch: latest, fingerprint: fingerprint)
            return try rebuild(latest: latest, fingerprint: fingerprint, forgotten: forgotten, write: full || !current)
        }
        var report = ConsolidationReport(full: false, batchesRead: 0, recordsTouched: 0, profilesWritten: 0, profilesRemoved: 0, profiles: 0, reviewPairs: 0)
        var touched = Set<RecordKey>()
        var mark = watermark!.batch
        while mark < latest {
            let rows = try store.batchRows(after: mark)
            guard let last = rows.last else { break }
            for (_, batch) in rows {
                for leaf in batch.leaves {
                    guard let write = try? leaf.recordWrite() else { continue }
                    touched.insert(write.record)
                    for change in write.changes {
                        if case .erasureRequest(let request)? = change.value { touched.formUnion(request.records) }
                    }
                }
            }
            report.batchesRead += rows.count
            mark = last.row
        }
        // Taken out of the property, so the engine's state is uniquely referenced and changes in place
        // (a second reference would make the first change copy every table of it). A step that fails
        // leaves none: the next one recomputes everything.
        guard var resolver = self.resolver.take() else { return try rebuild(latest: latest, fingerprint: fingerprint, forgotten: forgotten) }
        var affected = Set<ProfileID>()
        var changes: [RecordChange] = []
        for record in touched.sorted() {
            if let id = resolver.profile(of: record)?.id { affected.insert(id) }
            if StewardDecisionEntry.isDecisionRecord(record.localId) {
                let delta = try refreshDecision(record, in: &resolver)
                affected.formUnion(delta.removed + delta.changed.map(\.id))
                continue
            }
            guard ErasureRequest.requestID(ofLocalId: record.localId) == nil else { continue }
            let states = try store.recordStates(record)
            changes.append(states.isEmpty ? .remove(record) : .upsert(IdentityRecord(key: record, states: states.keys.sorted().map { states[$0]! })))
        }
        let delta = resolver.apply(changes)
        affected.formUnion(delta.removed + delta.changed.map(\.id))
        for record in touched { if let id = resolver.profile(of: record)?.id { affected.insert(id) } }
        var removed: [String] = []
        var written: [StoredProfile] = []
        for id in affected.sorted() {
            if let profile = resolver.profile(id) { written.append(try render(profile, states: store.recordStates)) } else { removed.append(id.description) }
        }
        // Only pairs with a record in an affected profile can have changed (scores change only for
        // touched records, whose profiles are affected; profile membership only for affected ones).
        let queue = Self.queue(resolver.reviewQueue(ofProfiles: affected))
        let newMark = ProfileWatermark(batch: mark, fingerprint: fingerprint)
        guard try store.saveProfiles(removed: removed, changed: written, reviewQueue: queue, reviewScope: affected.map(\.description),
                                     watermark: newMark, unlessForgottenSince: forgotten) else {
            // An erasure or retention forgot profiles meanwhile: what was rendered may hold its
            // values. Nothing is written; the next step rebuilds from what the store holds then.
            watermark = nil
            return ConsolidationReport(full: false, batchesRead: report.batchesRead, recordsTouched: 0, profilesWritten: 0, profilesRemoved: 0,
                                       profiles: 0, reviewPairs: 0)
        }
        self.resolver = resolver
        watermark = newMark
        report.recordsTouched = touched.count
        report.profilesWritten = written.count
        report.profilesRemoved = removed.count
        report.profiles = resolver.profileCount
        report.reviewPairs = queue.count
        return report
    }

    /// Loads every record and decision, resolves them at once and rewrites every stored profile.
    /// - Parameter write: `false` when the stored profiles are current: only the engine's state is
    ///   loaded (a pure function of the same entries and rules gives the same profiles), unless a
    ///   batch was stored while the records were read.
    private func rebuild(latest: Int64, fingerprint: String, forgotten: Int64, write: Bool = true) throws -> ConsolidationReport {
        var held: [RecordKey: [UnitID: RecordState]] = [:]
        // The records go out of scope once resolved (only their states stay, for rendering).
        let (resolver, recordCount) = try { () throws -> (IdentityResolver, Int) in
            let (records, decisions) = try Self.loadAll(store, stewards: Set(policy.identityResolution?.stewardship?.stewards ?? [])) {
                key, author, state in held[key, default: [:]][author] = state
            }
            let resolver = IdentityResolver(records: records, decisions: decisions, rules: policy.resolutionRules,
                                            parameters: policy.matchParameters, threads: threads)
            return (resolver, records.count)
        }()
        let mark = ProfileWatermark(batch: latest, fingerprint: fingerprint)
        // A batch stored while the records were read may have changed the engine's state in a way the
        // stored profiles do not hold (a merge whose removed profile the next step would not see):
        // then they are rewritten after all.
        if !write, try store.latestBatchRow() == latest {
            self.resolver = resolver
            watermark = mark
            return ConsolidationReport(full: true, batchesRead: 0, recordsTouched: recordCount, profilesWritten: 0, profilesRemoved: 0,
                                       profiles: resolver.profileCount, reviewPairs: Self.queue(resolver.reviewQueue).count)
        }
        let profiles = resolver.profiles
        let queue = Self.queue(resolver.reviewQueue)
        // Written in parts of `chunk` profiles, one transaction each, so sync and imports wait for the
        // write lock at most one part at a time; the profiles are marked stale until the last part
        // (readers may see a mix meanwhile: derived data). Rendered one at a time inside each part.
        // Every part is written only if no erasure or retention forgot profiles since the records
        // were read; else the rebuild stops (parts written before it hold only what was forgotten
        // after them, and that forgetting removed them) and the next step starts over.
        let complete = try store.withPageCache(mebibytes: Self.rebuildCacheMiB) { () throws -> Bool in
            var complete = try store.saveProfiles(removed: [], changed: [], reviewQueue: [], reviewScope: [], watermark: nil, replacingAll: true,
                                                  unlessForgottenSince: forgotten)
            var start = 0
            while complete {
                let end = min(profiles.count, start + chunk)
                let last = end == profiles.count
                complete = try store.saveProfiles(removed: [], changedIDs: [], produce: { emit in
                    for profile in profiles[start..<end] { try emit(try render(profile) { held[$0] ?? [:] }) }
                }, reviewQueue: last ? queue : [], reviewScope: last ? nil : [], watermark: last ? mark : nil, unlessForgottenSince: forgotten)
                start = end
                if last { break }
            }
            return complete
        }
        guard complete else {
            self.resolver = nil
            watermark = nil
            return ConsolidationReport(full: true, batchesRead: 0, recordsTouched: 0, profilesWritten: 0, profilesRemoved: 0, profiles: 0, reviewPairs: 0)
        }
        held = [:]
        self.resolver = resolver
        watermark = mark
        return ConsolidationReport(full: true, batchesRead: 0, recordsTouched: recordCount, profilesWritten: profiles.count, profilesRemoved: 0,
                                   profiles: profiles.count, reviewPairs: queue.count)
    }

    /// Every person record the store holds (not erasure or steward records) and the steward decisions
    /// in force (of the units that are stewards now).
    /// - Parameter keep: sees every person record's states as they are read.
    static func loadAll(_ store: Store, stewards: Set<String> = [], keep: (RecordKey, UnitID, RecordState) -> Void = { _, _, _ in }) throws
        -> (records: [IdentityRecord], decisions: [StewardDecision])
    {
        var records: [IdentityRecord] = []
        var decisionStates: [RecordKey: [UnitID: RecordState]] = [:]
        var current: (RecordKey, [RecordState])?
        func flush() {
            if let (key, states) = current { records.append(IdentityRecord(key: key, states: states)) }
            current = nil
        }
        try store.forEachRecordState { record, author, state in
            if StewardDecisionEntry.isDecisionRecord(record.localId) {
                if stewards.contains(record.unit.rawValue) { decisionStates[record, default: [:]][author] = state }
                return
            }
            guard ErasureRequest.requestID(ofLocalId: record.localId) == nil else { return }
            if current?.0 != record { flush(); current = (record, []) }
            current!.1.append(state)
            keep(record, author, state)
        }
        flush()
        return (records, decisions(decisionStates.map { ($0.key, $0.value) }))
    }

    /// The decision in force for a pair among every steward unit's decision records: the latest
    /// (clock reading, then unit); withdrawn or none gives `nil`.
    static func decisions(_ records: [(RecordKey, [UnitID: RecordState])]) -> [StewardDecision] {
        var latest: [String: (hlc: HLC, unit: UnitID, entry: StewardDecisionEntry)] = [:]
        for (record, states) in records {
            for (author, state) in states where author == record.unit {
                guard let register = state.entries.first(where: { $0.attribute == StewardDecisionEntry.attribute })?.register,
                      case .text(let text)? = register.value, let entry = StewardDecisionEntry(text: text) else { continue }
                let pair = StewardDecisionEntry.pairID(entry.first, entry.second)
                if let held = latest[pair], (held.hlc, held.unit) > (register.hlc, author) { continue }
                latest[pair] = (register.hlc, author, entry)
            }
        }
        return latest.keys.sorted().compactMap { pair in
            let held = latest[pair]!
            switch held.entry.kind {
            case .mustLink: return StewardDecision(held.entry.first, held.entry.second, .mustLink, decided: held.hlc)
            case .cannotLink: return StewardDecision(held.entry.first, held.entry.second, .cannotLink, decided: held.hlc)
            case .withdrawn: return nil
            }
        }
    }

    /// Re-reads every steward unit's decision about the pair a decision record names.
    private func refreshDecision(_ record: RecordKey, in resolver: inout IdentityResolver) throws -> ResolutionDelta {
        var pair: (RecordKey, RecordKey)?
        var held: [(RecordKey, [UnitID: RecordState])] = []
        for unit in policy.identityResolution?.stewardship?.stewards ?? [] {
            let key = RecordKey(unchecked: UnitID(unchecked: unit), localId: record.localId)
            let states = try store.recordStates(key)
            held.append((key, states))
            for state in states.values {
                if case .text(let text)? = state.entries.first(where: { $0.attribute == StewardDecisionEntry.attribute })?.register.value,
                   let entry = StewardDecisionEntry(text: text) { pair = (entry.first, entry.second) }
            }
        }
        guard let pair else { return ResolutionDelta() }
        if let decision = Self.decisions(held).first { return resolver.record(decision) }
        return resolver.withdrawDecision(pair.0, pair.1)
    }

    /// A profile rendered for the store: golden values over its members' registers, search keys.
    private func render(_ profile: Profile, states statesOf: (RecordKey) throws -> [UnitID: RecordState]) throws -> StoredProfile {
        var registers: [RecordRegisters] = []
        for record in profile.records {
            let states = try statesOf(record)
            for author in states.keys.sorted() { registers.append(RecordRegisters(record: record, author: author, state: states[author]!)) }
        }
        let values = Survivorship.goldenValues(registers, rules: policy.survivorshipRules)
        let fields = policy.resolutionRules.fields
        var keys = Set<SearchKey>()
        for input in registers {
            for entry in input.state.entries {
                let name = entry.attribute.rawValue
                let kind: String? = fields.email.contains(name) ? "email" : fields.phone.contains(name) ? "phone"
                    : (fields.givenName.contains(name) || fields.familyName.contains(name)) ? "name" : nil
                guard let kind else { continue }
                let texts: [String] = switch entry.register.value {
                case .text(let text)?: [text]
                case .set(let items)?: items
                default: []
                }
                for text in texts {
                    if kind == "name" {
                        for token in ProfileSearch.nameTokens(text) { keys.insert(SearchKey(kind: kind, value: token)) }
                    } else {
                        keys.insert(SearchKey(kind: kind, value: text))
                    }
                }
            }
        }
        return StoredProfile(id: profile.id.description, anchor: profile.anchor, members: profile.records, body: ProfileDocument.render(profile, values: values),
                             keys: keys.sorted { ($0.kind, $0.value) < ($1.kind, $1.value) })
    }

    static func queue(_ pairs: [ReviewPair]) -> [StoredReviewPair] {
        pairs.map {
            StoredReviewPair(id: StewardDecisionEntry.pairID($0.first, $0.second), first: $0.first, second: $0.second, score: $0.score,
                             firstProfile: $0.profiles.0.description, secondProfile: $0.profiles.1.description)
        }
    }
}

/// Name search tokens: lower case, letters and digits only, split at everything else.
enum ProfileSearch {
    static func nameTokens(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
