import Foundation

/// I/O errors injected with `strace -e inject` into a real `accord import` and a real receiving
/// `accord serve`: `fdatasync`, `pwrite64` (how SQLite writes) or `write` fail with EIO or ENOSPC
/// from their Nth call on (a lasting fault) or at the Nth call only (a passing one). After each
/// case, with the fault gone: the store passes `integrity_check`, every stream is gap-free and
/// linked, `accord verify` passes, every row the import acknowledged is stored, the process named
/// the error, and the node recovers (the import re-run completes; the receiver catches up).
struct IOErrors {
    var cases = 8
    var seed: UInt64 = 1
    var rowsPerFile = 600
    var accord = ""
    var directory = ""

    /// What the cases found.
    struct Findings {
        var cases = 0
        var importCases = 0
        var syncCases = 0
        /// Cases where strace reported an injected failure (the others ended before the Nth call).
        var faultsHit = 0
        var acknowledgedRows = 0
        /// A fault hit, but the process neither named the error nor ended well.
        var unnamed = 0
        /// The process died of a signal it was not sent.
        var crashes = 0
        /// Integrity, streams, `accord verify`, acknowledged rows missing.
        var sound = SoundnessCounts()
        /// With the fault gone, the import re-run failed or the receiver did not catch up in 60 s.
        var notRecovered = 0
        var details: [String] = []
        var failures: Int { sound.total + unnamed + crashes + notRecovered }
    }

    /// One fault: which call fails, how, from when.
    struct Fault: CustomStringConvertible {
        var syscall: String
        var error: String
        var at: Int
        var lasting: Bool
        var description: String { "\(syscall) \(error) at call \(at)\(lasting ? " and after" : " only")" }
        /// The strace arguments injecting it, tracing only that call (its trace lines say INJECTED).
        func arguments(trace: String) -> [String] {
            ["-f", "-qq", "-e", "signal=none", "-o", trace, "-e", "trace=\(syscall)", "-e", "inject=\(syscall):error=\(error):when=\(at)\(lasting ? "+" : "")"]
        }
    }

    private let sender = "retail"
    private let receiver = "webshop"
    /// No Swift backtracer under strace: a crash report is written with `write`, which the fault
    /// may be failing, and the backtracer then waits forever; a crash is still seen (its signal).
    static let underStrace = ["SWIFT_BACKTRACE": "enable=no"]
    /// SQLite's words for the two errors, as the node passes them on.
    static let namedErrors = ["disk I/O error", "database or disk is full", "Input/output error", "No space left on device"]

    func run() throws -> Findings {
        guard let strace = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw HarnessError("strace is missing (apt-get install strace)")
        }
        var random = SeededRandom(seed: seed)
        let cluster = try Cluster(accord: accord, directory: directory, units: [sender, receiver])
        defer { cluster.stopAll() }
        try cluster.addPeer(receiver, peer: sender, port: cluster.ports[sender]!)
        var findings = Findings()
        var acknowledged = Set<String>()
        let started = Date()
        for index in 0..<cases {
            let isSync = index % 2 == 1
            // The Nth call is drawn from about as many calls as the process makes (an import of 600
            // rows in 25-row chunks: ~30 fdatasync, ~650 pwrite64, a few write; a receiver pulling
            // it: fewer), so most faults hit.
            let calls: [(name: String, range: Int)] = isSync ? [("fdatasync", 8), ("pwrite64", 80)] : [("fdatasync", 28), ("pwrite64", 600), ("write", 3)]
            let call = calls[random.below(calls.count)]
            let fault = Fault(syscall: call.name, error: random.below(2) == 0 ? "EIO" : "ENOSPC", at: 1 + random.below(call.range),
                              lasting: random.below(3) > 0)
            findings.cases += 1
            if isSync {
                findings.syncCases += 1
                try syncCase(index, fault, cluster: cluster, strace: strace, acknowledged: acknowledged, findings: &findings)
            } else {
                findings.importCases += 1
                try importCase(index, fault, cluster: cluster, strace: strace, acknowledged: &acknowledged, findings: &findings)
            }
        }
        findings.acknowledgedRows = acknowledged.count
        Figures.seconds("ioerrors.duration", Date().timeIntervalSince(started))
        return findings
    }

    /// `accord import` under the fault; then the store is audited and the import re-run without it.
    private func importCase(_ index: Int, _ fault: Fault, cluster: Cluster, strace: String, acknowledged: inout Set<String>,
                            findings: inout Findings) throws {
        cluster.stop(sender)
        let file = directory + "/import-\(index).csv"
        try KillAudit.writeCustomers(to: file, generation: index, rows: rowsPerFile)
        let trace = directory + "/scratch/trace-\(index).txt"
        let child = try ChildProcess(strace, fault.arguments(trace: trace) + [accord, "import", file, "--node", cluster.path(sender), "--chunk", "25", "--progress-json"],
                                     stdout: directory + "/scratch/import-\(index).out", stderr: directory + "/scratch/import-\(index).err",
                                     environment: Self.underStrace)
        let finished = child.wait(timeout: 120)
        let status = child.process.terminationStatus
        let output = child.stdout + child.stderr
        let rows = KillAudit.committedRows(child.stderr)
        for row in 0..<rows { acknowledged.insert(KillAudit.localId(index, row)) }
        let hit = ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").contains("(INJECTED)")
        if hit { findings.faultsHit += 1 }
        Figures.note("case \(index): import, \(fault): \(hit ? "hit" : "not reached"), exit \(status), \(rows) rows acknowledged"
                     + (status == 0 ? "" : ": " + (Self.namedErrors.first(where: output.contains) ?? "no named error")))
        var notes: [String] = []
        func note(_ text: String) { notes.append("case \(index) (import, \(fault)): \(text)") }
        defer { findings.details += notes.prefix(max(0, 20 - findings.details.count)) }
        if !finished {
            findings.notRecovered += 1
            note("the import hung under the fault")
        } else if child.process.terminationReason == .uncaughtSignal {
            findings.crashes += 1
            note("the import died of signal \(status)")
        } else if hit && status != 0 && !Self.namedErrors.contains(where: output.contains) && !output.contains("cannot") {
            findings.unnamed += 1
            note("exit \(status) without naming the error: \(output.suffix(300))")
        }
        audit(cluster, sender, acknowledged: acknowledged, note: note, findings: &findings)
        // The fault is gone: the same file again completes, and holds every row.
        let again = try cluster.run(sender, ["import", file], timeout: 120)
        if !again.ok {
            findings.notRecovered += 1
            note("the re-run failed: \(again.stderr.suffix(300))")
        } else {
            for row in 0..<rowsPerFile { acknowledged.insert(KillAudit.localId(index, row)) }
            audit(cluster, sender, acknowledged: acknowledged, note: note, findings: &findings)
        }
    }

    /// The receiver's `accord serve` under the fault while it pulls what the sender imported;
    /// then it is stopped, audited, and served again without the fault until it caught up.
    private func syncCase(_ index: Int, _ fault: Fault, cluster: Cluster, strace: String, acknowledged: Set<String>,
                          findings: inout Findings) throws {
        var notes: [String] = []
        func note(_ text: String) { notes.append("case \(index) (sync, \(fault)): \(text)") }
        defer { findings.details += notes.prefix(max(0, 20 - findings.details.count)) }
        if !cluster.isServing(sender) { try cluster.start(sender) }
        let trace = directory + "/scratch/trace-\(index).txt"
        let log = directory + "/scratch/\(receiver)-\(index).log"
        let child = try ChildProcess(
            strace, fault.arguments(trace: trace) + [accord, "serve", "--node", cluster.path(receiver), "--listen", "127.0.0.1:\(cluster.ports[receiver]!)",
                                                     "--log-level", "info"],
            stdout: directory + "/scratch/\(receiver)-\(index).out", stderr: log, environment: Self.underStrace)
        // Let it pull (and fail) for a while, then stop it as an operator would.
        let deadline = Date().addingTimeInterval(4)
        while child.isRunning && Date() < deadline && !caughtUp(cluster, acknowledged) { Thread.sleep(forTimeInterval: 0.1) }
        let crashedEarly = !child.isRunning && child.process.terminationReason == .uncaughtSignal
        if child.isRunning {
            for pid in Self.children(of: child.pid) { kill(pid, SIGTERM) }
            if !child.wait(timeout: 15) { note("the receiver did not stop on SIGTERM within 15 s under the fault") }
        }
        let output = child.stderr
        let hit = ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").contains("(INJECTED)")
        if hit { findings.faultsHit += 1 }
        Figures.note("case \(index): sync, \(fault): \(hit ? "hit" : "not reached"), the receiver "
                     + (caughtUp(cluster, acknowledged) ? "caught up under it" : "fell behind") + ", its log: "
                     + (Self.namedErrors.first(where: output.contains) ?? "no named error"))
        if crashedEarly {
            findings.crashes += 1
            note("the receiver died of signal \(child.process.terminationStatus)")
        } else if hit && !caughtUp(cluster, acknowledged) && !Self.namedErrors.contains(where: output.contains) {
            findings.unnamed += 1
            note("the fault hit, the receiver fell behind and its log names no error: \(output.suffix(300))")
        }
        audit(cluster, receiver, acknowledged: [], note: note, findings: &findings)
        // The fault is gone: the receiver catches up with everything the sender acknowledged.
        try cluster.start(receiver)
        let recovery = Date().addingTimeInterval(60)
        while !caughtUp(cluster, acknowledged) && Date() < recovery { Thread.sleep(forTimeInterval: 0.2) }
        cluster.stop(receiver)
        if !caughtUp(cluster, acknowledged) {
            findings.notRecovered += 1
            note("the receiver did not catch up within 60 s of the fault's end")
        }
        audit(cluster, receiver, acknowledged: acknowledged, note: note, findings: &findings)
    }

    /// Whether the receiver's store holds every acknowledged row of the sender.
    private func caughtUp(_ cluster: Cluster, _ acknowledged: Set<String>) -> Bool {
        guard let audit = try? StoreAudit.read(node: cluster.path(receiver)) else { return false }
        return acknowledged.isSubset(of: audit.localIds[sender] ?? [])
    }

    /// Audits a node no process writes: integrity, streams, `accord verify`, acknowledged rows present.
    private func audit(_ cluster: Cluster, _ unit: String, acknowledged: Set<String>, note: (String) -> Void, findings: inout Findings) {
        _ = StoreAudit.check(cluster, unit, owner: sender, acknowledged: acknowledged, counts: &findings.sound) { note("\(unit): \($0)") }
    }

    /// The child processes of `pid` (the traced `accord` under strace).
    static func children(of pid: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
