import Foundation

/// `accord-reliability killaudit`: `kill -9` at random moments of `accord import` and of sync
/// between two real `accord serve` nodes; after each kill, the killed node's store is checked.
///
/// Checks after every kill: SQLite `integrity_check` is ok; every stream is gap-free and linked
/// from #1 to its head; `accord verify` passes (signatures, no batch half-applied); no sequence
/// number holds another batch than it held before, here or on the other node (no reuse, no
/// fork); no stream head went back; every import row acknowledged (its chunk reported committed
/// by `--progress-json`) is stored.
struct KillAudit {
    var kills = 20
    var seed: UInt64 = 1
    var rowsPerFile = 2000
    var accord = ""
    var directory = ""

    /// Findings, counted.
    struct Findings {
        var importKills = 0
        var syncKills = 0
        var sound = SoundnessCounts()
        var reusedSequences = 0
        var shrunkStreams = 0
        var acknowledgedRows = 0
        var duplicates = 0
        var details: [String] = []
        /// Audits after a kill, and those that found something wrong.
        var audits = 0
        var unsound = 0
        var failures: Int {
            sound.total + reusedSequences + shrunkStreams + duplicates
        }
    }

    private let sender = "retail"
    private let receiver = "webshop"

    func run() throws -> Findings {
        var random = SeededRandom(seed: seed)
        let cluster = try Cluster(accord: accord, directory: directory, units: [sender, receiver])
        defer { cluster.stopAll() }
        try cluster.addPeer(receiver, peer: sender, port: cluster.ports[sender]!)
        var findings = Findings()
        var everSeen: [String: [UInt64: String]] = [:]  // across both nodes: stream -> sequence -> hash
        var heads: [String: [String: UInt64]] = [:]  // per node: stream -> head at its last audit
        var acknowledged = Set<String>()
        var generation = 0
        var file = try writeFile(generation)
        let started = Date()

        // Half the kills hit imports, half hit sync (alternating victims: receiver, sender).
        let importKills = kills / 2
        while findings.importKills < importKills {
            let child = try ChildProcess(accord, ["import", file, "--node", cluster.path(sender), "--chunk", "25", "--progress-json"],
                stdout: directory + "/scratch/import.out", stderr: directory + "/scratch/import.err")
            Thread.sleep(forTimeInterval: random.uniform(0.05, 0.8))
            let killed = child.isRunning
            child.killNow()
            let rows = Self.committedRows(child.stderr)
            try? FileManager.default.removeItem(atPath: child.stderrPath)
            for row in 0..<rows { acknowledged.insert(Self.localId(generation, row)) }
            if killed {
                findings.importKills += 1
            } else {
                generation += 1  // finished: next file
                file = try writeFile(generation)
            }
            check(cluster, sender, acknowledged: acknowledged, everSeen: &everSeen, heads: &heads, findings: &findings)
            if findings.importKills % 10 == 0 && killed { Figures.note("import kills: \(findings.importKills)") }
        }
        findings.acknowledgedRows = acknowledged.count

        // Sync: the sender serves its records; the receiver pulls them. Kill either mid-sync.
        try cluster.start(sender)
        while findings.syncKills < kills - importKills {
            let victim = findings.syncKills % 2 == 0 ? receiver : sender
            if !cluster.isServing(sender) { try cluster.start(sender) }
            if !cluster.isServing(receiver) { try cluster.start(receiver) }
            Thread.sleep(forTimeInterval: random.uniform(0.1, 1.5))
            if cluster.kill9(victim) { findings.syncKills += 1 }
            check(cluster, victim, acknowledged: victim == sender ? acknowledged : [], everSeen: &everSeen, heads: &heads, findings: &findings)
            // Once the receiver caught up, give it more to pull.
            if try caughtUp(cluster, everSeen) {
                generation += 1
                file = try writeFile(generation)
                let result = try cluster.run(sender, ["import", file], timeout: 120)
                if !result.ok { throw HarnessError("import on \(sender) failed: \(result.stderr.suffix(300))") }
            }
            if findings.syncKills % 10 == 0 { Figures.note("sync kills: \(findings.syncKills)") }
        }
        Figures.seconds("killaudit.duration", Date().timeIntervalSince(started))
        return findings
    }

    /// Whether the receiver holds every batch of the sender's streams seen so far.
    private func caughtUp(_ cluster: Cluster, _ everSeen: [String: [UInt64: String]]) throws -> Bool {
        guard let heads = try? StoreAudit.read(node: cluster.path(receiver)).hashes else { return false }
        return everSeen.filter { $0.key.hasPrefix(sender + "/") }.allSatisfy { stream, entries in
            (heads[stream]?.keys.max() ?? 0) >= (entries.keys.max() ?? 0)
        }
    }

    /// Audits a node that is not running and records what is wrong.
    private func check(
        _ cluster: Cluster, _ unit: String, acknowledged: Set<String>, everSeen: inout [String: [UInt64: String]],
        heads: inout [String: [String: UInt64]], findings: inout Findings
    ) {
        func note(_ text: String) {
            if findings.details.count < 20 { findings.details.append("\(unit): \(text)") }
        }
        let before = findings.failures
        findings.audits += 1
        defer { if findings.failures > before { findings.unsound += 1 } }
        guard let audit = StoreAudit.check(cluster, unit, owner: sender, acknowledged: acknowledged, counts: &findings.sound, note: note) else {
            return
        }
        findings.duplicates += audit.duplicates
        // Every sequence number holds the batch it held before, on either node.
        let reused = audit.reusedSequences(comparedWith: everSeen)
        findings.reusedSequences += reused.count
        reused.prefix(3).forEach { note("sequence reused: \($0)") }
        StoreAudit.remember(audit.hashes, into: &everSeen)
        // No head of this node went back since its last audit.
        let now = audit.hashes.mapValues { $0.keys.max() ?? 0 }
        for (stream, before) in heads[unit] ?? [:] where (now[stream] ?? 0) < before {
            findings.shrunkStreams += 1
            note("\(stream) went back from #\(before) to #\(now[stream] ?? 0)")
        }
        heads[unit] = now
    }

    /// Writes import file number `generation`: `rowsPerFile` numbered customers.
    private func writeFile(_ generation: Int) throws -> String {
        let path = directory + "/import-\(generation).csv"
        try Self.writeCustomers(to: path, generation: generation, rows: rowsPerFile)
        return path
    }

    /// Writes a CSV of `rows` numbered customers (local ids ``localId(_:_:)`` of `generation`).
    static func writeCustomers(to path: String, generation: Int, rows: Int) throws {
        var text = "id,given_name,family_name,email\n"
        for row in 0..<rows {
            let id = localId(generation, row)
            text += "\(id),Ada,Lovelace,\(id.lowercased())@example.com\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func localId(_ generation: Int, _ row: Int) -> String { "K\(generation)-\(row + 1)" }

    /// The rows of the largest `"rowsRead":N` in `--progress-json` lines: the committed prefix.
    static func committedRows(_ text: String) -> Int {
        var best = 0
        for line in text.split(separator: "\n") where line.hasPrefix("{\"committed\":true") {
            guard let range = line.range(of: "\"rowsRead\":") else { continue }
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            best = max(best, Int(digits) ?? 0)
        }
        return best
    }
}

/// A small deterministic generator (SplitMix64), so a run can be repeated with `--seed`.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `low..<high`.
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * Double(next() >> 11) / Double(1 << 53) }

    /// An integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
