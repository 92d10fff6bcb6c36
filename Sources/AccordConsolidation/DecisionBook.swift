import AccordModel

/// Steward decisions by record pair (at most one per pair: a new decision replaces the old one),
/// indexed by record for the clusterer.
struct DecisionBook: Sendable {
    struct PairKey: Hashable, Sendable {
        let first: RecordKey
        let second: RecordKey

        init(_ a: RecordKey, _ b: RecordKey) { (first, second) = a < b ? (a, b) : (b, a) }
    }

    private var byPair: [PairKey: StewardDecision] = [:]
    private var byRecord: [RecordKey: [RecordKey]] = [:]

    /// Whether there is no decision at all.
    var isEmpty: Bool { byPair.isEmpty }

    /// Every decision, in pair order.
    var all: [StewardDecision] {
        byPair.values.sorted { $0.first != $1.first ? $0.first < $1.first : $0.second < $1.second }
    }

    /// Sets the decision about its pair (a decision about a record and itself is ignored).
    mutating func set(_ decision: StewardDecision) {
        guard decision.first != decision.second else { return }
        let key = PairKey(decision.first, decision.second)
        if byPair.updateValue(decision, forKey: key) == nil {
            byRecord[decision.first, default: []].append(decision.second)
            byRecord[decision.second, default: []].append(decision.first)
        }
    }

    /// Removes the decision about a pair; returns whether there was one.
    mutating func remove(_ a: RecordKey, _ b: RecordKey) -> Bool {
        guard byPair.removeValue(forKey: PairKey(a, b)) != nil else { return false }
        byRecord[a]?.removeAll { $0 == b }
        byRecord[b]?.removeAll { $0 == a }
        if byRecord[a]?.isEmpty == true { byRecord[a] = nil }
        if byRecord[b]?.isEmpty == true { byRecord[b] = nil }
        return true
    }

    /// The decision about a pair.
    func decision(_ a: RecordKey, _ b: RecordKey) -> StewardDecision? { byPair[PairKey(a, b)] }

    /// The records a record has decisions with.
    func partners(of key: RecordKey) -> [RecordKey] { byRecord[key] ?? [] }
}
