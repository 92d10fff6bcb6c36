import AccordCrypto
import AccordNode
import AccordSQLite
import Foundation

/// `accord-reliability limits`: two real nodes, retail dialing webshop; webshop also serves its
/// API. It measures the sync latency of the good peer (from a record's commit in retail's store
/// by `accord record put` until it is in webshop's store, both read read-only every 2 ms), then attacks webshop's
/// sync and API ports at once (silent TCP connections, stalled TLS handshakes, one-byte-a-second
/// senders, an oversized HTTP header and body) and measures the latency again, a reconnect of
/// the good peer while the sync port's slots are held, and webshop's memory (VmRSS).
struct Limits {
    var idle = 500
    var stalled = 50
    var dribblers = 20
    var seconds = 10.0
    var writes = 20
    var accord = ""
    var directory = ""
    /// The node closes a silent or slow connection within its 10 s deadlines (helloDeadline, the
    /// API's handshake and header timeouts); 2 s more for a loaded machine.
    static let closeBound = 12.0
    static let memoryGoalBytes = 100 << 20
    /// A redialing peer waits for the silent connections' hello deadline (10 s), then for its next
    /// backoff step (at most maxBackoff, 10 s): decision 108.
    static let reconnectBound = 20.0

    /// Returns the number of goals missed.
    func run() throws -> Int {
        var missed = 0
        let cluster = try Cluster(accord: accord, directory: directory, units: ["retail", "webshop"])
        let syncPort = cluster.ports["webshop"]!
        let apiPort = try Cluster.freePort()
        try cluster.addPeer("retail", peer: "webshop", port: syncPort)
        let webshop = try startServing(cluster, "webshop", extra: ["--api-listen", "127.0.0.1:\(apiPort)"])
        defer {
            webshop.signal(SIGTERM)
            webshop.wait(timeout: 15)
            cluster.stopAll()
        }
        try cluster.start("retail")
        let observer = try StoreObserver(path: cluster.path("webshop") + "/accord.sqlite")
        guard let first = try latency(cluster, observer, id: "L-warmup", spacing: 0), first < 30 else { throw HarnessError("retail never synced to webshop") }
        Thread.sleep(forTimeInterval: 0.5)

        let rssBefore = Self.status(webshop.pid, "VmRSS")
        let cpuBefore = Self.cpuSeconds(webshop.pid)
        var baseline: [Double] = []
        let spacing = seconds / Double(writes)
        for index in 1...writes { if let seconds = try latency(cluster, observer, id: "L-base-\(index)", spacing: spacing) { baseline.append(seconds) } }
        let cpuBaseline = Self.cpuSeconds(webshop.pid) - cpuBefore

        // The attack: slow senders first (so they get slots), the oversized requests, then the floods.
        let clientTLS = try TLSContext(configuration: try tlsConfiguration(cluster.path("retail")), role: .client)
        let clientHello = try AttackSwarm.captureClientHello(clientTLS)
        let sampler = Sampler(pid: webshop.pid)
        sampler.start()
        let syncSwarm = AttackSwarm(port: syncPort)
        let apiSwarm = AttackSwarm(port: apiPort)
        let tallies = ["sync.idle", "sync.stalled_tls", "sync.slow_sender", "api.idle", "api.stalled_tls", "api.slow_sender"]
            .map(AttackTally.init(name:))
        let request = Array("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nUser-Agent: dribble\r\n\r\n".utf8)
        for _ in 0..<dribblers {
            syncSwarm.addDribbler(bytes: clientHello, tls: nil, serverUnit: "webshop", tally: tallies[2])
            apiSwarm.addDribbler(bytes: request, tls: clientTLS, serverUnit: "webshop", tally: tallies[5])
        }
        Thread.sleep(forTimeInterval: 0.5)
        missed += oversized(apiPort: apiPort, clientTLS)
        syncSwarm.addSilent(stalled, prefix: Array(clientHello.prefix(11)), tally: tallies[1])
        apiSwarm.addSilent(stalled, prefix: Array(clientHello.prefix(11)), tally: tallies[4])
        syncSwarm.addSilent(idle, prefix: [], tally: tallies[0])
        apiSwarm.addSilent(idle, prefix: [], tally: tallies[3])
        let attackStarted = AttackSwarm.now()
        syncSwarm.start()
        apiSwarm.start()
        let cpuAttackStart = Self.cpuSeconds(webshop.pid)
        var attacked: [Double] = []
        for index in 1...writes { if let seconds = try latency(cluster, observer, id: "L-attack-\(index)", spacing: spacing) { attacked.append(seconds) } }
        let cpuAttack = Self.cpuSeconds(webshop.pid) - cpuAttackStart
        let attackWrites = AttackSwarm.now() - attackStarted
        while AttackSwarm.now() - attackStarted < Self.closeBound + 1 { Thread.sleep(forTimeInterval: 0.1) }
        syncSwarm.stop()
        apiSwarm.stop()
        for tally in tallies { missed += report(tally) }

        // A reconnect of the good peer while silent connections hold every sync slot.
        cluster.stop("retail")
        Thread.sleep(forTimeInterval: 0.3)
        let wave = AttackSwarm(port: syncPort)
        let waveTally = AttackTally(name: "sync.reconnect_wave")
        wave.addSilent(idle, prefix: [], tally: waveTally)
        wave.start()
        let waveStarted = AttackSwarm.now()
        let put = try cluster.run("retail", ["record", "put", "L-reconnect", "given_name=Ada"], timeout: 20)
        guard put.ok else { throw HarnessError("record put on retail failed: \(put.stderr)") }
        let restarted = AttackSwarm.now()
        try cluster.start("retail")
        let reconnect: Double? = observer.waitFor("L-reconnect", timeout: 60) ? AttackSwarm.now() - restarted : nil
        let slotsHeld = restarted - waveStarted
        wave.stop()
        Thread.sleep(forTimeInterval: 2)
        sampler.stop()
        let rssAfter = Self.status(webshop.pid, "VmRSS")

        missed += latencyFigures(baseline: baseline, attacked: attacked, writesTried: 2 * writes)
        Figures.print("limits.cpu_baseline", String(format: "%.2f", cpuBaseline), "s (webshop's CPU over the baseline writes)")
        Figures.print("limits.cpu_attack", String(format: "%.2f", cpuAttack), "s (webshop's CPU over the writes under attack, \(String(format: "%.1f", attackWrites)) s)")
        if let reconnect {
            Figures.print("limits.reconnect_seconds", String(format: "%.2f", reconnect),
                          "s (goal: within helloDeadline 10 s + maxBackoff 10 s; slots held since \(String(format: "%.1f", slotsHeld)) s before the restart)")
            if reconnect > Self.reconnectBound { missed += 1 }
        } else {
            Figures.print("limits.reconnect_seconds", "never", "(goal: within 20 s)")
            missed += 1
        }
        let peak = sampler.peakRSS
        Figures.print("limits.rss_before", rssBefore / 1024, "KiB")
        Figures.print("limits.rss_peak", peak / 1024, "KiB (goal: < before + \(Self.memoryGoalBytes >> 20) MiB)")
        Figures.print("limits.rss_after", rssAfter / 1024, "KiB (goal: < before + \(Self.memoryGoalBytes >> 20) MiB)")
        Figures.print("limits.threads_peak", sampler.peakThreads, "threads")
        if peak > rssBefore + Self.memoryGoalBytes || rssAfter > rssBefore + Self.memoryGoalBytes { missed += 1 }
        if !webshop.isRunning {
            Figures.note("webshop's accord serve is no longer running")
            missed += 1
        }
        Figures.print("limits.goals_missed", missed)
        return missed
    }

    /// Starts `accord serve` for a unit with extra arguments and waits until it listens.
    private func startServing(_ cluster: Cluster, _ unit: String, extra: [String]) throws -> ChildProcess {
        let out = cluster.directory + "/scratch/\(unit).serve.out"
        let child = try ChildProcess(accord, ["serve", "--node", cluster.path(unit), "--listen", "127.0.0.1:\(cluster.ports[unit]!)",
                                              "--log-level", "warning"] + extra, stdout: out, stderr: cluster.logPath(unit))
        let deadline = Date().addingTimeInterval(30)
        while !(child.stdout.contains("listening on") && (extra.isEmpty || child.stdout.contains("API on"))) {
            guard child.isRunning, Date() < deadline else {
                child.killNow()
                throw HarnessError("\(unit) did not start serving: \(String((child.stdout + child.stderr).suffix(300)))")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return child
    }

    /// The node's TLS files as a client configuration (the API accepts any federation certificate).
    private func tlsConfiguration(_ node: String) throws -> TLSConfiguration {
        guard let files = try NodeConfig.load(contentsOf: node + "/node.json").tls else { throw HarnessError("\(node) has no TLS files") }
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : node + "/" + path }
        return TLSConfiguration(certificateChainPath: resolve(files.certificate), privateKeyPath: resolve(files.key), trustedCAPath: resolve(files.ca))
    }

    /// `accord record put ID` on retail; seconds from the record's commit in retail's store until
    /// webshop's store holds it (both stores read read-only every 2 ms while the command runs); `nil`
    /// when the command fails or the record does not arrive within 30 s.
    private func latency(_ cluster: Cluster, _ observer: StoreObserver, id: String, spacing: Double) throws -> Double? {
        let started = AttackSwarm.now()
        defer { Thread.sleep(forTimeInterval: max(0.05, spacing - (AttackSwarm.now() - started))) }
        let out = cluster.directory + "/scratch/put.out"
        let err = cluster.directory + "/scratch/put.err"
        let put = try ChildProcess(accord, ["record", "put", id, "given_name=Ada", "--node", cluster.path("retail")], stdout: out, stderr: err)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let source = try StoreObserver(path: cluster.path("retail") + "/accord.sqlite")
        guard source.waitFor(id, timeout: 20) else {
            put.wait(timeout: 1)
            Figures.note("record put \(id) was not stored on retail: \(put.stderr.prefix(200))")
            return nil
        }
        let committed = AttackSwarm.now()
        guard observer.waitFor(id, timeout: 30) else {
            Figures.note("\(id) did not reach webshop within 30 s")
            return nil
        }
        let seconds = AttackSwarm.now() - committed
        guard put.wait(timeout: 20), put.process.terminationStatus == 0 else {
            Figures.note("record put \(id) failed: \(put.stderr.prefix(200))")
            return nil
        }
        return seconds
    }

    /// An HTTP header and a body over the limits: refused with 431 and 413, quickly, the message naming the limit.
    private func oversized(apiPort: UInt16, _ context: TLSContext) -> Int {
        var missed = 0
        let header = "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
        let body = "POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"
        for (name, request, status, limit) in [("api.oversized_header", Array(header.utf8), 431, "maxHeaderBytes"),
                                               ("api.oversized_body", Array(body.utf8) + [UInt8](repeating: 0x20, count: 64 << 10), 413, "maxBodyBytes")] {
            let answer = oversizedRequest(port: apiPort, context: context, serverUnit: "webshop", request)
            let named = answer.text.contains(limit)
            let good = answer.status == status && named && answer.seconds < 1
            Figures.print("limits.\(name)", "\(answer.status.map(String.init) ?? "none") in \(String(format: "%.3f", answer.seconds)) s, names \(limit): \(named ? "yes" : "no")",
                          "(goal: \(status) within 1 s naming \(limit))")
            if !good { missed += 1 }
        }
        return missed
    }

    private func report(_ tally: AttackTally) -> Int {
        let closes = tally.closes
        let within = closes.filter { $0 <= Self.closeBound }.count
        let longest = closes.max() ?? 0
        let atOnce = closes.filter { $0 < 0.5 }.count
        Figures.print("limits.\(tally.name).closed", "\(within)/\(tally.opens)",
                      "connections (goal: all closed by the node within \(Int(Self.closeBound)) s; \(atOnce) at once, \(tally.failedConnects) not connected)")
        Figures.print("limits.\(tally.name).max_close", String(format: "%.2f", longest), "s")
        return within == tally.opens && tally.opens > 0 ? 0 : 1
    }

    private func latencyFigures(baseline: [Double], attacked: [Double], writesTried: Int) -> Int {
        let lost = writesTried - baseline.count - attacked.count
        let base = (p50: Self.percentile(baseline, 0.5), p99: Self.percentile(baseline, 0.99))
        let under = (p50: Self.percentile(attacked, 0.5), p99: Self.percentile(attacked, 0.99))
        func ms(_ value: Double) -> String { String(format: "%.0f", value * 1000) }
        Figures.note("latency baseline (ms, in order): " + baseline.map(ms).joined(separator: " "))
        Figures.note("latency under attack (ms, in order): " + attacked.map(ms).joined(separator: " "))
        Figures.print("limits.latency_baseline_p50", ms(base.p50), "ms (\(baseline.count) writes)")
        Figures.print("limits.latency_baseline_p99", ms(base.p99), "ms")
        Figures.print("limits.latency_attack_p50", ms(under.p50), "ms (\(attacked.count) writes; goal: <= 2x baseline, \(ms(2 * base.p50)) ms)")
        Figures.print("limits.latency_attack_p99", ms(under.p99), "ms (goal: <= 2x baseline, \(ms(2 * base.p99)) ms)")
        Figures.print("limits.writes_not_synced", lost, "writes (goal: 0)")
        var missed = lost == 0 ? 0 : 1
        if under.p50 > 2 * base.p50 { missed += 1 }
        if under.p99 > 2 * base.p99 { missed += 1 }
        return missed
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return .infinity }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))]
    }

    /// User and system CPU seconds of a process so far (`/proc/PID/stat`, 100 ticks a second).
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `/proc/PID/status` field in bytes (`VmRSS`) or as a count (`Threads`); 0 when unreadable.
    static func status(_ pid: Int32, _ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
        let value = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first.map(String.init) ?? "") ?? 0
        return line.hasSuffix("kB") ? value * 1024 : value
    }
}

/// Reads a node's store read-only (its own SQLite connection, WAL) to see when a record arrives.
final class StoreObserver {
    private let database: Database
    private let lookup: Statement

    init(path: String) throws {
        database = try Database(path: path, mode: .readOnly)
        lookup = try database.prepare("SELECT 1 FROM record_state WHERE local_id = ? LIMIT 1")
    }

    /// Whether the store holds a record with this local id, polled every 2 ms up to `timeout` seconds.
    func waitFor(_ id: String, timeout: Double) -> Bool {
        let deadline = AttackSwarm.now() + timeout
        while AttackSwarm.now() < deadline {
            lookup.reset()
            if (try? lookup.bind(id, at: 1)) != nil, (try? lookup.step()) == true {
                lookup.reset()
                return true
            }
            lookup.reset()
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
    }
}

/// Samples a process's VmRSS and thread count every 100 ms, keeping the peaks.
///
/// `@unchecked Sendable`: the peaks are only touched under `lock`.
final class Sampler: @unchecked Sendable {
    private let pid: Int32
    private let lock = NSLock()
    private var running = true
    private var done = false
    private var rss = 0
    private var threads = 0

    init(pid: Int32) { self.pid = pid }

    var peakRSS: Int { lock.withLock { rss } }
    var peakThreads: Int { lock.withLock { threads } }

    func start() {
        Thread { [self] in
            while lock.withLock({ running }) {
                let now = (Limits.status(pid, "VmRSS"), Limits.status(pid, "Threads"))
                lock.withLock {
                    rss = max(rss, now.0)
                    threads = max(threads, now.1)
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            lock.withLock { done = true }
        }.start()
    }

    func stop() {
        lock.withLock { running = false }
        while !lock.withLock({ done }) { Thread.sleep(forTimeInterval: 0.01) }
    }
}
