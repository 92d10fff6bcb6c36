public import AccordModel

/// The identity-resolution engine: holds the records, their blocks and scored candidate pairs, the
/// steward decisions and the profiles, and keeps them up to date one change at a time.
///
/// Everything it produces is a pure function of the current records (keys, creation clocks and
/// values), the steward decisions, the rules and the parameters: loading records at once
/// (``init(records:decisions:rules:parameters:threads:)``) and adding them one by one in any order
/// give identical profiles with identical ids. A change re-scores only the changed record's
/// candidates and re-clusters only the link components it touches.
public struct IdentityResolver: Sendable {
    /// An edge of the candidate graph.
    struct Edge: Sendable {
        var other: Int32
        var score: Int32
        var conflict: Bool
    }

    /// A profile as held: its members (slots, key order) and anchor.
    struct ProfileState: Sendable {
        var members: [Int32]
        var anchor: Int32
    }

    /// The rules in force.
    public let rules: ResolutionRules
    /// The parameters in force.
    public internal(set) var parameters: MatchParameters
    var model: ScoringModel
    let preparer: RecordPreparer
    var space: FeatureSpace
    var records: [PreparedRecord?] = []
    var freeSlots: [Int32] = []
    var slotOf: [RecordKey: Int32] = [:]
    var blocks: BlockIndex
    /// Candidate pairs by slot, both directions, with their scores.
    var edges: [[Edge]] = []
    var decisions = DecisionBook()
    /// Link component of each slot (-1 when free), and the members of each component.
    var componentOf: [Int32] = []
    var components: [Int32: [Int32]] = [:]
    var nextComponent: Int32 = 0
    /// Profile of each slot (nil when free).
    var profileOf: [ProfileID?] = []
    var profileStates: [ProfileID: ProfileState] = [:]
    /// Wall and CPU seconds (all threads) per phase of the last batch load (for the benchmark; not
    /// part of the result).
    package var loadTimings: [(phase: String, seconds: Double, cpu: Double)] = []

    /// An empty resolver.
    /// - Parameters:
    ///   - rules: the rules (validate them first: ``ResolutionRules/validate()``).
    ///   - parameters: the model parameters (``MatchParameters/untrained`` or trained ones).
    public init(rules: ResolutionRules, parameters: MatchParameters) {
        self.rules = rules
        self.parameters = parameters
        model = ScoringModel(parameters: parameters, rules: rules)
        preparer = RecordPreparer(rules: rules)
        space = FeatureSpace(rules: rules, parameters: parameters)
        blocks = BlockIndex(cap: rules.blocking.maxBlockSize)
    }

    // MARK: Reading

    /// Number of records held.
    public var recordCount: Int { slotOf.count }

    /// Every profile, by id.
    public var profiles: [Profile] {
        profileStates.keys.sorted().map { profile($0)! }
    }

    /// The profile with this id.
    public func profile(_ id: ProfileID) -> Profile? {
        guard let state = profileStates[id] else { return nil }
        return Profile(id: id, anchor: records[Int(state.anchor)]!.key, records: state.members.map { records[Int($0)]!.key })
    }

    /// The profile a record belongs to.
    public func profile(of record: RecordKey) -> Profile? {
        guard let slot = slotOf[record], let id = profileOf[Int(slot)] else { return nil }
        return profile(id)
    }

    /// The profile id of every record.
    public var assignments: [RecordKey: ProfileID] {
        var result: [RecordKey: ProfileID] = [:]
        result.reserveCapacity(slotOf.count)
        for (key, slot) in slotOf { result[key] = profileOf[Int(slot)] }
        return result
    }

    /// The steward decisions held (also those about records not held yet), in pair order.
    public var stewardDecisions: [StewardDecision] { decisions.all }

    /// Candidate pairs a steward should look at: scored at least the review threshold, in different
    /// profiles, without a decision; best score first.
    public var reviewQueue: [ReviewPair] {
        var result: [ReviewPair] = []
        for (slot, list) in edges.enumerated() {
            guard let record = records[slot] else { continue }
            for edge in list where edge.score >= model.review {
                guard let other = records[Int(edge.other)], record.key < other.key,
                    let p = profileOf[slot], let q = profileOf[Int(edge.other)], p != q,
                    decisions.decision(record.key, other.key) == nil
                else { continue }
                result.append(ReviewPair(first: record.key, second: other.key, score: Score.bits(edge.score), profiles: (p, q)))
            }
        }
        return result.sorted {
            $0.score != $1.score ? $0.score > $1.score : ($0.first != $1.first ? $0.first < $1.first : $0.second < $1.second)
        }
    }

    /// How two held records compare: the levels, the score in bits, whether a conflict rule applied,
    /// and whether they are a candidate pair (share a block). `nil` if either record is not held.
    public func explain(_ a: RecordKey, _ b: RecordKey) -> PairExplanation? {
        guard let x = slotOf[a], let y = slotOf[b], x != y else { return nil }
        let comparison = PairComparer.compare(records[Int(x)]!, records[Int(y)]!, in: space)
        let scored = model.score(comparison, in: space)
        return PairExplanation(
            pattern: comparison.pattern, score: Score.bits(scored.score), conflict: scored.conflict,
            candidate: edges[Int(x)].contains { $0.other == y },
            decision: decisions.decision(a, b))
    }

    /// Whether two held records are a candidate pair (they share a block of at most the cap).
    public func isCandidate(_ a: RecordKey, _ b: RecordKey) -> Bool {
        guard let x = slotOf[a], let y = slotOf[b] else { return false }
        return edges[Int(x)].contains { $0.other == y }
    }

    /// Counts describing the resolver's state.
    public var statistics: ResolverStatistics {
        var pairs = 0, links = 0, reviews = 0, largestComponent = 0
        for list in edges {
            pairs += list.count
            for edge in list {
                if edge.score >= model.link { links += 1 } else if edge.score >= model.review { reviews += 1 }
            }
        }
        for members in components.values { largestComponent = max(largestComponent, members.count) }
        let largestProfile = profileStates.values.map(\.members.count).max() ?? 0
        return ResolverStatistics(
            records: slotOf.count, blocks: blocks.count, candidatePairs: pairs / 2, linkPairs: links / 2, reviewPairs: reviews / 2,
            components: components.count, largestComponent: largestComponent, profiles: profileStates.count,
            largestProfile: largestProfile)
    }

    // MARK: Changing

    /// Adds a record, or replaces the values of the record with the same key.
    /// - Returns: the profiles that changed.
    @discardableResult
    public mutating func upsert(_ record: IdentityRecord) -> ResolutionDelta { apply([.upsert(record)]) }

    /// Removes a record.
    /// - Returns: the profiles that changed.
    @discardableResult
    public mutating func remove(_ key: RecordKey) -> ResolutionDelta { apply([.remove(key)]) }

    /// Records a steward decision, replacing any earlier one about the same pair. The records need
    /// not be held yet: the decision applies once both are.
    /// - Returns: the profiles that changed.
    @discardableResult
    public mutating func record(_ decision: StewardDecision) -> ResolutionDelta {
        decisions.set(decision)
        return recluster(touched: [decision.first, decision.second].compactMap { slotOf[$0] }, removedComponents: [])
    }

    /// Withdraws the steward decision about a pair, if any.
    /// - Returns: the profiles that changed.
    @discardableResult
    public mutating func withdrawDecision(_ a: RecordKey, _ b: RecordKey) -> ResolutionDelta {
        guard decisions.remove(a, b) else { return ResolutionDelta() }
        return recluster(touched: [a, b].compactMap { slotOf[$0] }, removedComponents: [])
    }

    /// Applies several changes, then re-clusters once.
    /// - Returns: the profiles that changed.
    @discardableResult
    public mutating func apply(_ changes: [RecordChange]) -> ResolutionDelta {
        var touched: [Int32] = []
        var removedComponents: [Int32] = []
        var freed: [Int32] = []  // reused only after re-clustering, so a slot names one record per change set
        defer { freeSlots += freed }
        for change in changes {
            switch change {
            case .upsert(let record):
                let normalized = preparer.normalize(record)
                if let slot = slotOf[record.key] {
                    if unchanged(slot, normalized) { continue }
                    if componentOf[Int(slot)] >= 0 { removedComponents.append(componentOf[Int(slot)]) }
                    touched += detach(slot)
                    touched += attach(normalized, at: slot)
                } else {
                    let slot = freeSlots.popLast() ?? newSlot()
                    touched += attach(normalized, at: slot)
                }
            case .remove(let key):
                guard let slot = slotOf[key] else { continue }
                if componentOf[Int(slot)] >= 0 { removedComponents.append(componentOf[Int(slot)]) }
                touched += detach(slot)
                freed.append(slot)
            }
        }
        return recluster(touched: touched, removedComponents: removedComponents)
    }

    /// Replaces the parameters (a new policy version): every candidate pair is re-scored and every
    /// record re-clustered. Candidate pairs do not change (they depend on the rules only).
    /// - Returns: the profiles that changed.
    @discardableResult
    public mutating func setParameters(_ parameters: MatchParameters) -> ResolutionDelta {
        self.parameters = parameters
        model = ScoringModel(parameters: parameters, rules: rules)
        space.setTermFrequencies(parameters, rules: rules)
        for slot in edges.indices {
            guard let record = records[slot] else { continue }
            for k in edges[slot].indices {
                let other = records[Int(edges[slot][k].other)]!
                let scored = model.score(PairComparer.compare(record, other, in: space), in: space)
                edges[slot][k].score = scored.score
                edges[slot][k].conflict = scored.conflict
            }
        }
        return recluster(touched: slotOf.values.sorted(), removedComponents: [])
    }

    private mutating func newSlot() -> Int32 {
        records.append(nil)
        edges.append([])
        componentOf.append(-1)
        profileOf.append(nil)
        return Int32(records.count - 1)
    }

    /// Whether the held record at `slot` has exactly these values and creation clock.
    private func unchanged(_ slot: Int32, _ normalized: NormalizedRecord) -> Bool {
        guard let held = records[Int(slot)], held.created == normalized.created,
            let found = space.lookup(normalized)
        else { return false }
        return found.values == held.values && found.ends == held.ends
    }
}
