import AccordModel

/// The review queue of some profiles only, for keeping a stored queue up to date incrementally.
extension IdentityResolver {
    /// How many profiles there are (without building them).
    public var profileCount: Int { profileStates.count }

    /// The pairs of ``reviewQueue`` with a record in one of `ids` (profiles that do not exist give
    /// nothing), in the same order.
    public func reviewQueue(ofProfiles ids: some Sequence<ProfileID>) -> [ReviewPair] {
        var seen = Set<DecisionBook.PairKey>()
        var result: [ReviewPair] = []
        for id in ids {
            guard let state = profileStates[id] else { continue }
            for slot in state.members {
                guard let record = records[Int(slot)], let p = profileOf[Int(slot)] else { continue }
                for edge in edges[Int(slot)] where edge.score >= model.review {
                    guard let other = records[Int(edge.other)], let q = profileOf[Int(edge.other)], p != q,
                          decisions.decision(record.key, other.key) == nil
                    else { continue }
                    let (first, second, profiles) = record.key < other.key ? (record.key, other.key, (p, q)) : (other.key, record.key, (q, p))
                    guard seen.insert(DecisionBook.PairKey(first, second)).inserted else { continue }
                    result.append(ReviewPair(first: first, second: second, score: Score.bits(edge.score), profiles: profiles))
                }
            }
        }
        return result.sorted {
            $0.score != $1.score ? $0.score > $1.score : ($0.first != $1.first ? $0.first < $1.first : $0.second < $1.second)
        }
    }
}
