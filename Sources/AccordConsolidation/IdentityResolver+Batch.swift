import AccordModel

/// Loading many records at once, on several threads: normalize in parallel, intern and block, make
/// the candidate pairs of every eligible block, compare and score them in parallel, union the links,
/// cluster the components in parallel. The outcome is the same as adding the records one by one
/// (the same functions decide every pair and every component; only the order of work differs).
extension IdentityResolver {
    /// A resolver holding `records` (a key given twice: the later record counts).
    /// - Parameters:
    ///   - records: the records.
    ///   - decisions: steward decisions.
    ///   - rules: the rules (validate them first: ``ResolutionRules/validate()``).
    ///   - parameters: the model parameters.
    ///   - threads: worker threads (default: the machine's active processors).
    public init(
        records: [IdentityRecord], decisions: [StewardDecision] = [], rules: ResolutionRules, parameters: MatchParameters,
        threads: Int = Parallel.defaultThreads
    ) {
        self.init(rules: rules, parameters: parameters)
        for decision in decisions { self.decisions.set(decision) }
        let pairs = index(records, threads: threads)
        let compareStart = LoadClock.now()
        let comparisons = compareAll(pairs, threads: threads)
        recordTime("compare", since: compareStart)
        finishLoad(pairs, comparisons, threads: threads)
    }

    /// Trains the parameters on `records` without labels (``MatchTrainer``) and resolves them with
    /// the result, doing the normalization, blocking and comparisons once for both.
    /// - Parameters:
    ///   - records: the records.
    ///   - decisions: steward decisions (not used for training).
    ///   - rules: the rules.
    ///   - start: EM's starting point.
    ///   - randomPairs: how many random pairs estimate `u`.
    ///   - threads: worker threads.
    /// - Returns: the resolver and the trained parameters (also its ``parameters``).
    public static func trained(
        records: [IdentityRecord], decisions: [StewardDecision] = [], rules: ResolutionRules,
        start: MatchParameters = .untrained, randomPairs: Int = MatchTrainer.defaultRandomPairs,
        threads: Int = Parallel.defaultThreads
    ) -> (resolver: IdentityResolver, parameters: MatchParameters) {
        var resolver = IdentityResolver(rules: rules, parameters: start)
        for decision in decisions { resolver.decisions.set(decision) }
        let pairs = resolver.index(records, threads: threads)
        let compareStart = LoadClock.now()
        let comparisons = resolver.compareAll(pairs, threads: threads)
        resolver.recordTime("compare", since: compareStart)
        let trainStart = LoadClock.now()
        let parameters = MatchTrainer.parameters(
            comparisons: comparisons, resolver: resolver, rules: rules, start: start, randomPairs: randomPairs, threads: threads)
        resolver.recordTime("train", since: trainStart)
        resolver.parameters = parameters
        resolver.model = ScoringModel(parameters: parameters, rules: rules)
        resolver.space.setTermFrequencies(parameters, rules: rules)
        resolver.finishLoad(pairs, comparisons, threads: threads)
        return (resolver, parameters)
    }

    /// Normalizes, interns and blocks `records` into an empty resolver; returns the candidate pairs
    /// as `low slot << 32 | high slot`, sorted.
    mutating func index(_ input: [IdentityRecord], threads: Int) -> [UInt64] {
        precondition(slotOf.isEmpty, "a batch load needs an empty resolver")
        let rules = self.rules
        let normalizeStart = LoadClock.now()
        // A preparer per chunk: threads sharing one would contend on its validators' reference counts.
        let normalized = Parallel.map(input.count, threads: threads, context: { RecordPreparer(rules: rules) }) { preparer, i in
            preparer.normalize(input[i])
        }
        recordTime("normalize", since: normalizeStart)
        let internStart = LoadClock.now()
        var last: [RecordKey: Int] = [:]
        last.reserveCapacity(input.count)
        for (index, record) in normalized.enumerated() { last[record.key] = index }
        for (index, record) in normalized.enumerated() where last[record.key] == index {
            let slot = Int32(records.count)
            records.append(space.intern(record))
            slotOf[record.key] = slot
        }
        edges = Array(repeating: [], count: records.count)
        componentOf = Array(repeating: -1, count: records.count)
        profileOf = Array(repeating: nil, count: records.count)

        recordTime("intern", since: internStart)
        let blockStart = LoadClock.now()
        let space = self.space, held = self.records, blocking = rules.blocking
        let keys = Parallel.map(held.count, threads: threads) { BlockKeys.keys(held[$0]!, space, blocking) }
        blocks.reserve(keys.reduce(0) { $0 + $1.count })
        for (slot, list) in keys.enumerated() {
            for key in list { blocks.insert(key, Int32(slot)) }
        }
        var pairs: [UInt64] = []
        for members in blocks.blocks.values where members.count >= 2 && members.count <= blocks.cap {
            let slots = members.slots
            for i in slots.indices {
                for j in slots.indices where j > i {
                    let (a, b) = slots[i] < slots[j] ? (slots[i], slots[j]) : (slots[j], slots[i])
                    pairs.append(UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)))
                }
            }
        }
        pairs.sort()
        var unique = 0
        for pair in pairs where unique == 0 || pairs[unique - 1] != pair {
            pairs[unique] = pair
            unique += 1
        }
        pairs.removeLast(pairs.count - unique)
        recordTime("block", since: blockStart)
        return pairs
    }

    /// Compares every candidate pair.
    func compareAll(_ pairs: [UInt64], threads: Int) -> [PairComparison] {
        let space = self.space, held = self.records
        return Parallel.map(pairs.count, threads: threads, context: { NameLevelCache() }) { cache, i in
            PairComparer.compare(held[Int(pairs[i] >> 32)]!, held[Int(pairs[i] & 0xFFFF_FFFF)]!, in: space, cache: cache)
        }
    }

    /// Scores the pairs, stores them, and clusters every component.
    mutating func finishLoad(_ pairs: [UInt64], _ comparisons: [PairComparison], threads: Int) {
        let scoreStart = LoadClock.now()
        let model = self.model, space = self.space
        let scores = Parallel.map(pairs.count, threads: threads) { model.score(comparisons[$0], in: space) }
        var degree = [Int](repeating: 0, count: records.count)
        for pair in pairs {
            degree[Int(pair >> 32)] += 1
            degree[Int(pair & 0xFFFF_FFFF)] += 1
        }
        for slot in edges.indices { edges[slot].reserveCapacity(degree[slot]) }
        var parent = Array(0..<Int32(records.count))
        func find(_ x: Int32) -> Int32 {
            var root = x
            while parent[Int(root)] != root { root = parent[Int(root)] }
            var y = x
            while parent[Int(y)] != root { (parent[Int(y)], y) = (root, parent[Int(y)]) }
            return root
        }
        for (pair, scored) in zip(pairs, scores) {
            let a = Int32(pair >> 32), b = Int32(pair & 0xFFFF_FFFF)
            edges[Int(a)].append(Edge(other: b, score: scored.score, conflict: scored.conflict))
            edges[Int(b)].append(Edge(other: a, score: scored.score, conflict: scored.conflict))
            if scored.score >= model.link {
                let ra = find(a), rb = find(b)
                if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
            }
        }
        for decision in decisions.all where decision.kind == .mustLink {
            guard let a = slotOf[decision.first], let b = slotOf[decision.second] else { continue }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
        var byRoot: [Int32: Int] = [:]
        var groups: [[Int32]] = []
        for slot in 0..<Int32(records.count) {
            let root = find(slot)
            if let index = byRoot[root] {
                groups[index].append(slot)
            } else {
                byRoot[root] = groups.count
                groups.append([slot])
            }
        }
        recordTime("score", since: scoreStart)
        let clusterStart = LoadClock.now()
        let resolver = self
        let clustered = Parallel.map(groups.count, threads: threads) { resolver.clusterComponent(groups[$0]) }
        for (members, clusters) in zip(groups, clustered) {
            let component = nextComponent
            nextComponent += 1
            components[component] = members
            for member in members { componentOf[Int(member)] = component }
            for group in clusters {
                let (id, state) = Self.makeProfile(group, records)
                profileStates[id] = state
                for member in group { profileOf[Int(member)] = id }
            }
        }
        recordTime("cluster", since: clusterStart)
    }

    /// Records the time since `start` (a ``LoadClock`` reading) as `phase`.
    mutating func recordTime(_ phase: String, since start: LoadClock.Reading) {
        let end = LoadClock.now()
        loadTimings.append((phase, end.wall - start.wall, end.cpu - start.cpu))
    }
}
