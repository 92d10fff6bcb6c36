public import AccordModel
public import AccordStore
import AccordPolicy
import AccordConsolidation

/// How a profile is looked up.
public enum ProfileLookup: Sendable, Equatable {
    /// By profile id (`p` and 32 hexadecimal digits).
    case id(String)
    /// By one of its records.
    case record(RecordKey)
}

extension Node {
    /// Brings the stored profiles up to date when batches were stored since the last consolidation
    /// or the rules changed (a full recomputation in this process; a serving node keeps a
    /// ``ProfileMaintainer`` for incremental steps). Nothing to do is cheap: two reads.
    /// - Parameter force: recompute even if the profiles look current (`accord match run`).
    /// - Returns: what was done, `nil` when the profiles were current.
    /// - Throws: ``NodeError`` `.storage`.
    @discardableResult
    public func refreshProfiles(force: Bool = false) throws -> ConsolidationReport? {
        do {
            if !force, try ProfileMaintainer.isCurrent(store: store, policy: policy) { return nil }
            return try ProfileMaintainer(store: store, policy: policy).step(full: true)
        } catch {
            throw NodeError(.storage, "cannot consolidate the profiles", cause: error)
        }
    }

    /// A profile's document (JSON), or `nil` when no profile matches. An id that was merged into
    /// another profile answers that profile (the one holding the old id's anchor record).
    /// - Parameter refresh: bring the profiles up to date first (`false` on a read-only connection of a
    ///   serving node, whose ``ProfileService`` keeps them current).
    /// - Throws: ``NodeError`` `.storage`.
    public func profileDocument(_ lookup: ProfileLookup, refresh: Bool = true) throws -> [UInt8]? {
        if refresh { try refreshProfiles() }
        do {
            switch lookup {
            case .id(let id):
                // A merged-away id answers the profile now holding its anchor record.
                if let body = try store.profileBody(id.lowercased()) { return body }
                return try store.profileRedirect(id.lowercased()).flatMap { try store.profileID(of: $0) }.flatMap { try store.profileBody($0) }
            case .record(let record): return try store.profileID(of: record).flatMap { try store.profileBody($0) }
            }
        } catch {
            throw NodeError(.storage, "cannot read the profile", cause: error)
        }
    }

    /// The ids of the profiles holding an e-mail address, a phone number and every token of a name
    /// (each given criterion must match), in id order, at most `limit`; `refresh` as in ``profileDocument(_:refresh:)``.
    /// - Throws: ``NodeError`` `.notAllowed` for an invalid e-mail address or phone number, or no criterion.
    public func searchProfiles(email: String? = nil, phone: String? = nil, name: String? = nil, limit: Int = 100,
                               refresh: Bool = true) throws -> [String] {
        var keys: [SearchKey] = []
        if let email { keys.append(SearchKey(kind: "email", value: try normalizeIdentifier(email, type: .email))) }
        if let phone { keys.append(SearchKey(kind: "phone", value: try normalizeIdentifier(phone, type: .phone))) }
        if let name {
            let tokens = ProfileSearch.nameTokens(name)
            guard !tokens.isEmpty else { throw NodeError(.notAllowed, "the name has no letters") }
            keys += tokens.map { SearchKey(kind: "name", value: $0) }
        }
        guard !keys.isEmpty else { throw NodeError(.notAllowed, "give an e-mail address, a phone number or a name") }
        if refresh { try refreshProfiles() }
        do {
            var result: Set<String>?
            for key in keys {
                let found = Set(try store.profileIDs(with: key, limit: 10_000))
                result = result.map { $0.intersection(found) } ?? found
            }
            return Array((result ?? []).sorted().prefix(limit))
        } catch {
            throw NodeError(.storage, "cannot search the profiles", cause: error)
        }
    }

    /// The steward review queue, best score first; `refresh` as in ``profileDocument(_:refresh:)``.
    /// - Throws: ``NodeError`` `.storage`.
    public func reviewQueue(limit: Int = 100, refresh: Bool = true) throws -> [StoredReviewPair] {
        if refresh { try refreshProfiles() }
        do {
            return try store.reviewQueue(limit: limit)
        } catch {
            throw NodeError(.storage, "cannot read the review queue", cause: error)
        }
    }

    /// The review pairs with one record in a profile, best score first; `refresh` as in ``profileDocument(_:refresh:)``.
    /// - Throws: ``NodeError`` `.storage`.
    public func reviewPairs(ofProfile id: String, refresh: Bool = true) throws -> [StoredReviewPair] {
        if refresh { try refreshProfiles() }
        do {
            return try store.reviewPairs(ofProfile: id.lowercased())
        } catch {
            throw NodeError(.storage, "cannot read the review queue", cause: error)
        }
    }

    /// Records a steward decision as a replicated entry (``StewardDecisionEntry``) and updates the profiles.
    /// - Parameters:
    ///   - pair: a review pair id (`m…`), or two records as `unit/localId,unit/localId`.
    ///   - kind: must-link, cannot-link or withdrawn.
    ///   - steward: who decides (an operator name).
    ///   - reason: why (never customer data).
    ///   - refresh: bring the profiles up to date before and after (`false` inside a serving node).
    /// - Returns: the decision written.
    /// - Throws: ``NodeError`` `.notAllowed` when this unit is no steward or the records are the same,
    ///   `.notFound` for an unknown review pair, `.storage`.
    @discardableResult
    public func decide(pair: String, kind: StewardDecisionEntry.Kind, steward: String, reason: String,
                       refresh: Bool = true) throws -> StewardDecisionEntry {
        if case .denied(let why) = policy.mayDecideMatches(unit: unit.rawValue) { throw NodeError(.notAllowed, why) }
        let records: (RecordKey, RecordKey)
        let parts = pair.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 {
            guard let a = RecordKey(described: parts[0]), let b = RecordKey(described: parts[1]) else {
                throw NodeError(.notAllowed, "a pair is two records unit/localId,unit/localId or a review pair id")
            }
            records = (a, b)
        } else {
            if refresh { try refreshProfiles() }
            let stored: StoredReviewPair?
            do { stored = try store.reviewPair(pair.lowercased()) } catch { throw NodeError(.storage, "cannot read the review queue", cause: error) }
            guard let stored else { throw NodeError(.notFound, "no review pair \(pair) (see accord review list)") }
            records = (stored.first, stored.second)
        }
        guard records.0 != records.1 else { throw NodeError(.notAllowed, "a decision needs two different records") }
        guard !steward.isEmpty, steward.utf8.count <= 128, reason.utf8.count <= 1024 else {
            throw NodeError(.notAllowed, "the steward name must be 1-128 bytes and the reason at most 1024")
        }
        let entry = StewardDecisionEntry(records.0, records.1, kind: kind, steward: steward, reason: reason)
        do {
            _ = try store.commitLocal(
                [PendingWrite(record: entry.record(of: unit), changes: [(attribute: StewardDecisionEntry.attribute, value: .text(entry.text))])],
                shareClass: shareClass(of:), policyVersion: UInt64(policy.version), key: signingKey, now: now())
        } catch {
            throw NodeError(.storage, "cannot write the steward decision", cause: error)
        }
        try audit("review.\(kind.rawValue)", subject: StewardDecisionEntry.pairID(entry.first, entry.second), detail: "steward decision" + (reason.isEmpty ? "" : "; reason: \(reason)"),
                  operatorName: steward)
        if refresh { try refreshProfiles() }
        return entry
    }
}
