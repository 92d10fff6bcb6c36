/// Incremental maintenance: blocks and candidate pairs of one record at a time, then re-clustering of
/// the link components that changed.
extension IdentityResolver {
    /// Interns and indexes a record at `slot`; returns the slots whose link edges changed.
    mutating func attach(_ normalized: NormalizedRecord, at slot: Int32) -> [Int32] {
        let record = space.intern(normalized)
        records[Int(slot)] = record
        slotOf[record.key] = slot
        let keys = BlockKeys.keys(record, space, rules.blocking)
        var crossedUp: [UInt64] = []
        for key in keys where blocks.insert(key, slot) == blocks.cap + 1 { crossedUp.append(key) }
        var touched: [Int32] = [slot]
        for key in crossedUp {
            touched += dropUnsupportedPairs(among: blocks.members(key).filter { $0 != slot })
        }
        var candidates: [Int32] = []
        for key in keys where blocks.isEligible(key) {
            for member in blocks.members(key) where member != slot { candidates.append(member) }
        }
        candidates.sort()
        var previous: Int32 = -1
        for other in candidates where other != previous {
            previous = other
            if addEdge(slot, other) { touched.append(other) }
        }
        return touched
    }

    /// Removes the record at `slot` from the index; returns the slots whose link edges changed.
    mutating func detach(_ slot: Int32) -> [Int32] {
        let record = records[Int(slot)]!
        let keys = BlockKeys.keys(record, space, rules.blocking)
        var crossedDown: [UInt64] = []
        for key in keys where blocks.remove(key, slot) == blocks.cap { crossedDown.append(key) }
        var touched: [Int32] = []
        for edge in edges[Int(slot)] {
            edges[Int(edge.other)].removeAll { $0.other == slot }
            if edge.score >= model.link { touched.append(edge.other) }
        }
        edges[Int(slot)] = []
        for key in crossedDown {
            let members = blocks.members(key)
            for i in members.indices {
                for j in members.indices where j > i && !hasEdge(members[i], members[j]) {
                    if addEdge(members[i], members[j]) { touched += [members[i], members[j]] }
                }
            }
        }
        space.release(record)
        records[Int(slot)] = nil
        slotOf[record.key] = nil
        return touched
    }

    /// Scores a new candidate pair and stores it both ways; returns whether it is a link.
    private mutating func addEdge(_ x: Int32, _ y: Int32) -> Bool {
        let scored = model.score(PairComparer.compare(records[Int(x)]!, records[Int(y)]!, in: space), in: space)
        edges[Int(x)].append(Edge(other: y, score: scored.score, conflict: scored.conflict))
        edges[Int(y)].append(Edge(other: x, score: scored.score, conflict: scored.conflict))
        return scored.score >= model.link
    }

    private func hasEdge(_ x: Int32, _ y: Int32) -> Bool {
        let (a, b) = edges[Int(x)].count <= edges[Int(y)].count ? (x, y) : (y, x)
        return edges[Int(a)].contains { $0.other == b }
    }

    /// After a block grew past the cap: removes the pairs among `members` that no longer share any
    /// eligible block; returns the slots whose link edges changed.
    private mutating func dropUnsupportedPairs(among members: [Int32]) -> [Int32] {
        let keys = members.map { BlockKeys.keys(records[Int($0)]!, space, rules.blocking) }
        var touched: [Int32] = []
        for i in members.indices {
            for j in members.indices where j > i {
                let (x, y) = (members[i], members[j])
                guard hasEdge(x, y), !sharesEligibleBlock(keys[i], keys[j]) else { continue }
                let link = edges[Int(x)].first { $0.other == y }!.score >= model.link
                edges[Int(x)].removeAll { $0.other == y }
                edges[Int(y)].removeAll { $0.other == x }
                if link { touched += [x, y] }
            }
        }
        return touched
    }

    /// Whether two sorted key lists share a key whose block is eligible.
    private func sharesEligibleBlock(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                if blocks.isEligible(a[i]) { return true }
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return false
    }

    /// Re-clusters the link components of the touched slots (and of records removed, given by their
    /// former components); returns what changed.
    mutating func recluster(touched: [Int32], removedComponents: [Int32]) -> ResolutionDelta {
        var oldComponents = Set(removedComponents)
        var start = Set<Int32>()
        for slot in touched {
            if componentOf[Int(slot)] >= 0 { oldComponents.insert(componentOf[Int(slot)]) }
            if records[Int(slot)] != nil { start.insert(slot) }
        }
        for component in oldComponents {
            for member in components[component] ?? [] where records[Int(member)] != nil { start.insert(member) }
        }
        // New components: everything reachable over links from the start.
        var seen = Set<Int32>()
        var newComponents: [[Int32]] = []
        for slot in start.sorted() where !seen.contains(slot) {
            var component: [Int32] = [slot]
            seen.insert(slot)
            var k = 0
            while k < component.count {
                for next in linkNeighbors(component[k]) where seen.insert(next).inserted { component.append(next) }
                k += 1
            }
            for member in component where componentOf[Int(member)] >= 0 { oldComponents.insert(componentOf[Int(member)]) }
            newComponents.append(component)
        }
        // Retire the old components and their profiles.
        var oldProfiles: [ProfileID: [Int32]] = [:]
        for component in oldComponents {
            for member in components[component] ?? [] {
                if let id = profileOf[Int(member)], oldProfiles[id] == nil { oldProfiles[id] = profileStates[id]?.members ?? [] }
                profileOf[Int(member)] = nil
                componentOf[Int(member)] = -1
            }
            components[component] = nil
        }
        for id in oldProfiles.keys { profileStates[id] = nil }
        // Cluster the new components.
        var delta = ResolutionDelta()
        var newIDs = Set<ProfileID>()
        for members in newComponents {
            let component = nextComponent
            nextComponent += 1
            components[component] = members
            for member in members { componentOf[Int(member)] = component }
            for group in clusterComponent(members) {
                let (id, state) = Self.makeProfile(group, records)
                profileStates[id] = state
                for member in group { profileOf[Int(member)] = id }
                newIDs.insert(id)
                if oldProfiles[id] != state.members { delta.changed.append(profile(id)!) }
            }
        }
        delta.removed = oldProfiles.keys.filter { !newIDs.contains($0) }.sorted()
        delta.changed.sort { $0.id < $1.id }
        return delta
    }

    /// A profile of slots: members in key order, anchored on the earliest created (ties by key).
    /// Static, so callers in mutating code do not copy the resolver to call it.
    static func makeProfile(_ group: [Int32], _ records: [PreparedRecord?]) -> (ProfileID, ProfileState) {
        if group.count == 1 { return (ProfileID(anchor: records[Int(group[0])]!.key), ProfileState(members: group, anchor: group[0])) }
        let members = group.sorted { records[Int($0)]!.key < records[Int($1)]!.key }
        var anchor = members[0]
        for member in members.dropFirst() where records[Int(member)]!.created < records[Int(anchor)]!.created {
            anchor = member
        }
        return (ProfileID(anchor: records[Int(anchor)]!.key), ProfileState(members: members, anchor: anchor))
    }

    /// Slots linked to `slot`: candidate pairs at or above the link threshold, and must-links to held records.
    func linkNeighbors(_ slot: Int32) -> [Int32] {
        var result: [Int32] = []
        for edge in edges[Int(slot)] where edge.score >= model.link { result.append(edge.other) }
        if !decisions.isEmpty, let key = records[Int(slot)]?.key {
            for partner in decisions.partners(of: key) {
                guard let other = slotOf[partner], decisions.decision(key, partner)?.kind == .mustLink else { continue }
                result.append(other)
            }
        }
        return result
    }
}
