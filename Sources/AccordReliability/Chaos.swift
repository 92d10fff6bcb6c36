import Foundation

/// `accord-reliability chaos`: 3 to 5 real `accord serve` nodes in a full mesh, every link through
/// a ``LinkProxy`` but one through an ``EvilRelay`` (Chaos+EvilRelay.swift), a steady write load
/// on every writing node (`accord record put` of unique, numbered records; a write is
/// acknowledged when the command exits 0), and per schedule a run of
/// random faults: `kill -9` and restart, `SIGSTOP`/`SIGCONT`, partitions (links cut and refused),
/// "evil" (the evil relay drops, duplicates, reorders, delays and tampers with frames for a while),
/// clock jumps (``ClockJumps``).
/// Then everything heals, the load stops, and the harness waits for equal digests and checks that
/// every acknowledged write is on every node (they all may hold the identity class) and no
/// stream has a gap or a fork, and no clock went back or is beyond the future bound (``ClockAudit``).
struct Chaos {
    var nodes = 3
    var schedules = 1
    var faults = 6
    var seed: UInt64 = 1
    var accord = ""
    var directory = ""
    var convergeTimeout = 90.0
    var clockJumps = ClockJumpMode.on

    /// Every unit of the sample policy; governance may author nothing, so it only receives.
    static let allUnits = ["retail", "insurance", "webshop", "support", "governance"]

    /// Returns the number of defects found (0: sound).
    func run() throws -> Int {
        var random = SeededRandom(seed: seed)
        let units = Array(Self.allUnits.prefix(nodes))
        let cluster = try Cluster(accord: accord, directory: directory, units: units)
        // Clock jumps: every process of a unit under libfaketime, reading the unit's offset.
        let clock = clockJumps == .off ? nil : try ClockJumps(cluster: cluster)
        if let clock { for unit in units { cluster.setEnvironment(unit, clock.environment(unit)) } }
        var convergeTimeout = self.convergeTimeout
        // Unit i dials every unit before it, each through its own proxy (one an evil relay).
        var proxies: [String: any ChaosLink] = [:]  // "dialer>listener"
        for (index, unit) in units.enumerated() {
            for peer in units[..<index] {
                let proxy = try makeLink(dialer: unit, listener: peer, cluster: cluster)
                proxies["\(unit)>\(peer)"] = proxy
                try cluster.addPeer(unit, peer: peer, port: proxy.port)
            }
        }
        defer {
            cluster.stopAll()
            proxies.values.forEach { $0.stop() }
        }
        for unit in units { try cluster.start(unit) }
        let load = WriteLoad(cluster: cluster, writers: units.filter { $0 != "governance" })
        var counts = FaultCounts()
        var convergeTimes: [Double] = []
        var neverConverged = 0
        var lost = 0
        var duplicated = 0
        var problems = 0
        for schedule in 1...schedules {
            load.start()
            Thread.sleep(forTimeInterval: 1)
            if schedule == 1, clockJumps == .beyondBound, let clock {
                try clock.jumpBeyondBound(units[0], seconds: clock.beyondBoundSeconds, hold: 3)
                convergeTimeout += Double(clock.beyondBoundSeconds)  // time for real time to catch up
            }
            for _ in 0..<faults {
                inject(&random, cluster: cluster, units: units, proxies: proxies, clock: clock, counts: &counts)
                Thread.sleep(forTimeInterval: random.uniform(0.3, 1.2))
            }
            // Heal: every clock real, every node running and resumed, every link whole; then stop the load.
            clock?.healAll(units)
            for unit in units {
                cluster.signal(unit, SIGCONT)
                if !cluster.isServing(unit) { try cluster.start(unit) }
            }
            proxies.values.forEach { $0.setCut(false) }
            proxies.values.forEach { ($0 as? EvilRelay)?.setEvil(false) }
            load.stop()
            let healed = Date()
            var converged = false
            while Date().timeIntervalSince(healed) < convergeTimeout {
                let digests = units.map { cluster.digests($0) }
                if !digests.contains(where: { $0 == nil }), Set(digests.map { $0!.description }).count == 1 {
                    converged = true
                    break
                }
                Thread.sleep(forTimeInterval: 0.25)
            }
            let seconds = Date().timeIntervalSince(healed)
            if converged { convergeTimes.append(seconds) } else { neverConverged += 1 }
            let found = try audit(cluster, units: units, acknowledged: load.acknowledged)
            problems += try clock?.audit(cluster, units: units) ?? 0
            lost += found.lost
            duplicated += found.duplicated
            problems += found.problems
            Figures.note("schedule \(schedule)/\(schedules): converged \(converged ? String(format: "in %.2f s", seconds) : "NOT") "
                + "lost \(found.lost), duplicated \(found.duplicated), stream problems \(found.problems), "
                + "acknowledged \(load.acknowledged.values.map(\.count).reduce(0, +))")
        }
        let tampering = try auditTampering(links: proxies, cluster: cluster, units: units)
        Figures.print("chaos.nodes", nodes, "nodes")
        Figures.print("chaos.schedules", schedules, "schedules")
        Figures.print("chaos.faults.kill9", counts.kills, "faults")
        Figures.print("chaos.faults.pause", counts.pauses, "faults")
        Figures.print("chaos.faults.partition", counts.partitions, "faults")
        clock?.printFigures()
        clock?.printAuditFigures()
        printEvilFigures(links: proxies, counts: counts, tampering: tampering)
        Figures.print("chaos.proxy_refused", proxies.values.map(\.refused).reduce(0, +), "connections")
        Figures.print("chaos.writes_acknowledged", load.acknowledged.values.map(\.count).reduce(0, +), "writes")
        Figures.print("chaos.writes_not_acknowledged", load.failed, "writes")
        Figures.print("chaos.lost", lost, "writes")
        Figures.print("chaos.duplicated", duplicated, "writes")
        Figures.print("chaos.stream_problems", problems)
        Figures.print("chaos.never_converged", neverConverged, "schedules")
        if let worst = convergeTimes.max() {
            Figures.seconds("chaos.converge_time.max", worst)
            Figures.seconds("chaos.converge_time.median", convergeTimes.sorted()[convergeTimes.count / 2])
        }
        return lost + duplicated + problems + neverConverged + tampering.failures
    }

    struct FaultCounts {
        var kills = 0
        var pauses = 0
        var partitions = 0
        var evil = 0
    }

    /// One fault, held for a random while, then undone.
    private func inject(
        _ random: inout SeededRandom, cluster: Cluster, units: [String], proxies: [String: any ChaosLink], clock: ClockJumps?,
        counts: inout FaultCounts
    ) {
        let unit = units[random.below(units.count)]
        switch random.below(clock == nil ? 4 : 5) {
        case 4:
            clock?.inject(&random, unit: unit, cluster: cluster)
        case 0:
            cluster.kill9(unit)
            counts.kills += 1
            Thread.sleep(forTimeInterval: random.uniform(0.2, 2))
            do { try cluster.start(unit) } catch { Figures.note("restart of \(unit) failed: \(error); retried at heal") }
        case 1:
            cluster.signal(unit, SIGSTOP)
            counts.pauses += 1
            Thread.sleep(forTimeInterval: random.uniform(0.5, 3))
            cluster.signal(unit, SIGCONT)
        case 2:
            // A random side of one or two nodes, cut off from the rest.
            var side: Set<String> = [unit]
            if units.count > 3 && random.below(2) == 0 { side.insert(units[random.below(units.count)]) }
            let cut = proxies.filter { key, _ in
                let ends = key.split(separator: ">").map(String.init)
                return side.contains(ends[0]) != side.contains(ends[1])
            }
            cut.values.forEach { $0.setCut(true) }
            counts.partitions += 1
            Thread.sleep(forTimeInterval: random.uniform(1, 4))
            cut.values.forEach { $0.setCut(false) }
        default:
            injectEvil(&random, links: proxies, counts: &counts)
        }
    }

    /// Reads every node's store: acknowledged writes missing, leaves applied twice, stream
    /// problems (gaps, broken links, a sequence number holding different batches on two nodes,
    /// a failing `accord verify`).
    private func audit(_ cluster: Cluster, units: [String], acknowledged: [String: Set<String>]) throws -> (lost: Int, duplicated: Int, problems: Int) {
        var missingAnywhere = Set<String>()
        var duplicated = 0
        var problems = 0
        var seen: [String: [UInt64: String]] = [:]
        for unit in units {
            let audit = try StoreAudit.read(node: cluster.path(unit))
            if audit.integrity != "ok" { problems += 1 }
            problems += audit.problems.count
            duplicated += audit.duplicates
            let forks = audit.reusedSequences(comparedWith: seen)
            problems += forks.count
            forks.prefix(3).forEach { Figures.note("\(unit): \($0) differs from another node") }
            StoreAudit.remember(audit.hashes, into: &seen)
            for (author, ids) in acknowledged {
                let missing = ids.subtracting(audit.localIds[author] ?? [])
                if let example = missing.first { Figures.note("\(unit) lacks \(missing.count) acknowledged writes of \(author), e.g. \(example)") }
                missingAnywhere.formUnion(missing.map { author + "/" + $0 })
            }
            if let complaint = cluster.verify(unit) {
                problems += 1
                Figures.note("\(unit): \(complaint)")
            }
        }
        return (missingAnywhere.count, duplicated, problems)
    }
}
