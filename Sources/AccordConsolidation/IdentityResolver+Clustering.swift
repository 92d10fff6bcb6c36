import AccordModel

/// Clustering of one link component into profiles.
///
/// 1. Must-links, oldest decision first, merge their records' clusters, unless a cannot-link lies
///    between the two clusters (a cannot-link always wins, also transitively).
/// 2. Links, best score first (ties by record keys), merge their clusters, unless a cannot-link lies
///    between them or the chaining guard refuses: every pair of records across the two clusters
///    must score at least the cohesion floor and be free of conflicts (pairs that are not candidates
///    are compared for this on the spot).
///
/// The result depends only on the component's records, their pair scores and the decisions, never
/// on slot numbers or the order records arrived in: records are numbered by key here.
extension IdentityResolver {
    func clusterComponent(_ component: [Int32]) -> [[Int32]] {
        guard component.count > 1 else { return [component] }
        let order = component.sorted { records[Int($0)]!.key < records[Int($1)]!.key }
        let n = order.count
        var local: [Int32: Int] = [:]
        local.reserveCapacity(n)
        for (i, slot) in order.enumerated() { local[slot] = i }
        @inline(__always) func pairIndex(_ i: Int, _ j: Int) -> Int { i < j ? i * n + j : j * n + i }

        // Scores of the candidate pairs inside the component; links among them.
        var known: [Int: PairScore] = [:]
        var links: [(score: Int32, i: Int, j: Int)] = []
        for (i, slot) in order.enumerated() {
            for edge in edges[Int(slot)] {
                guard let j = local[edge.other], i < j else { continue }
                known[pairIndex(i, j)] = PairScore(score: edge.score, conflict: edge.conflict)
                if edge.score >= model.link { links.append((edge.score, i, j)) }
            }
        }
        // Decisions inside the component.
        var cannot = Set<Int>()
        var must: [(decided: UInt64, i: Int, j: Int)] = []
        if !decisions.isEmpty {
            for (i, slot) in order.enumerated() {
                let key = records[Int(slot)]!.key
                for partner in decisions.partners(of: key) {
                    guard let other = slotOf[partner], let j = local[other], i < j,
                        let decision = decisions.decision(key, partner)
                    else { continue }
                    switch decision.kind {
                    case .cannotLink: cannot.insert(pairIndex(i, j))
                    case .mustLink: must.append((decision.decided.rawValue, i, j))
                    }
                }
            }
        }

        var parent = Array(0..<n)
        var members = (0..<n).map { [$0] }
        func find(_ x: Int) -> Int {
            var root = x
            while parent[root] != root { root = parent[root] }
            var y = x
            while parent[y] != root { (parent[y], y) = (root, parent[y]) }
            return root
        }
        func union(_ a: Int, _ b: Int) {
            let (big, small) = members[a].count >= members[b].count ? (a, b) : (b, a)
            parent[small] = big
            members[big] += members[small]
            members[small] = []
        }
        func separatedByCannotLink(_ a: Int, _ b: Int) -> Bool {
            guard !cannot.isEmpty else { return false }
            for x in members[a] {
                for y in members[b] where cannot.contains(pairIndex(x, y)) { return true }
            }
            return false
        }
        let guarded = rules.clustering.chainingGuard
        func cohesive(_ a: Int, _ b: Int) -> Bool {
            guard guarded else { return true }
            for x in members[a] {
                for y in members[b] {
                    let key = pairIndex(x, y)
                    let scored: PairScore
                    if let stored = known[key] {
                        scored = stored
                    } else {
                        scored = model.score(PairComparer.compare(records[Int(order[x])]!, records[Int(order[y])]!, in: space), in: space)
                        known[key] = scored
                    }
                    if scored.conflict || scored.score < model.cohesionFloor { return false }
                }
            }
            return true
        }

        must.sort { ($0.decided, $0.i, $0.j) < ($1.decided, $1.i, $1.j) }
        for decision in must {
            let a = find(decision.i), b = find(decision.j)
            if a != b, !separatedByCannotLink(a, b) { union(a, b) }
        }
        links.sort { $0.score != $1.score ? $0.score > $1.score : ($0.i, $0.j) < ($1.i, $1.j) }
        var refused = Set<Int>()
        for link in links {
            let a = find(link.i), b = find(link.j)
            guard a != b, !refused.contains(pairIndex(a, b)) else { continue }
            if separatedByCannotLink(a, b) || !cohesive(a, b) {
                refused.insert(pairIndex(a, b))
                continue
            }
            union(a, b)
        }
        var groups: [[Int32]] = []
        for root in 0..<n where parent[root] == root {
            groups.append(members[root].sorted().map { order[$0] })
        }
        return groups
    }
}
