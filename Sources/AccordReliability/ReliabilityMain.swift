import Foundation

/// `accord-reliability`: fault harnesses over real `accord` processes on 127.0.0.1, printing
/// figures as `name = value unit`. Each has a short default (what CI runs) and a long version by
/// flag; each exits 1 when it found a defect (lost, duplicated or broken data, no convergence).
@main
struct ReliabilityMain {
    static let usage = """
        Usage: accord-reliability killaudit [--kills N] [--rows N] [--seed N] [--accord PATH] [--dir DIR]
               accord-reliability chaos [--nodes 3..5] [--schedules N] [--faults N] [--seed N] [--accord PATH] [--dir DIR]
                                        [--clock-jumps on|off|beyond-bound]
               accord-reliability ioerrors [--cases N] [--rows N] [--seed N] [--accord PATH] [--dir DIR]
               accord-reliability limits [--idle N] [--seconds N] [--writes N] [--accord PATH] [--dir DIR]
        killaudit  kill -9 at random moments of accord import and of sync between two accord serve
                   nodes; after each kill: integrity_check, streams gap-free and linked, accord verify,
                   no sequence number reused, nothing acknowledged missing. Default 20 kills (CI runs 10);
                   --kills 200 for the long run.
        chaos      nodes under a write load on each, a fault schedule (kill -9 and restart, SIGSTOP/
                   SIGCONT, partitions through a TCP proxy, clock jumps under libfaketime), then heal and
                   check: every acknowledged write on every node, digests equal, no gap, no clock gone
                   back, nothing beyond the future bound. Default 3 nodes, 1 schedule of 6 faults (CI);
                   --nodes 5 --schedules 20 for the long run. --clock-jumps off without faketime;
                   beyond-bound adds one jump of 5x the policy's future bound ahead (docs/reliability.md).
                   One link runs through an evil relay (TLS-terminating, test certificates from the
                   federation CA); the fault "evil" makes it drop, duplicate, reorder, delay and tamper
                   with frames for 1-4 s; no tampered batch may be applied, each must be refused.
        ioerrors   strace -e inject fails fdatasync, pwrite64 or write with EIO or ENOSPC at call N (once, or
                   from then on) in accord import and in a receiving accord serve; then: the error was
                   named, nothing acknowledged is missing, integrity_check, streams, accord verify, and
                   the node recovers once the fault is gone. Default 8 cases (CI); --cases 100 for the long run.
        limits     retail syncing to webshop; webshop's sync and API ports attacked at once (N silent TCP
                   connections on each, stalled TLS handshakes, 1-byte-a-second senders, an oversized HTTP
                   header and body): every attacker closed within 12 s, sync latency <= 2x, a reconnect
                   of the good peer, webshop's memory bounded. Default --idle 500 per port, --writes 20
                   per phase spread over --seconds 10 (attackers are held up to their 10 s deadlines) (CI).
        --accord   the accord binary (default: the one next to this executable)
        --dir      where the nodes live (default: a new temporary directory, removed when all passed)
        """

    static func main() {
        signal(SIGPIPE, SIG_IGN)
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first, ["killaudit", "chaos", "ioerrors", "limits"].contains(command) else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(arguments.first == "help" || arguments.first == "--help" ? 0 : 64)
        }
        arguments.removeFirst()
        do {
            var options: [String: String] = [:]
            var index = 0
            while index < arguments.count {
                let name = arguments[index]
                guard name.hasPrefix("--"), index + 1 < arguments.count else { throw HarnessError("unexpected argument \(name)\n\(usage)") }
                options[String(name.dropFirst(2))] = arguments[index + 1]
                index += 2
            }
            let accord = options["accord"] ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("accord").path
            guard FileManager.default.isExecutableFile(atPath: accord) else {
                throw HarnessError("no accord binary at \(accord): build it (swift build --product accord) or give --accord PATH")
            }
            let given = options["dir"]
            let directory = given ?? NSTemporaryDirectory() + "accord-reliability-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let failures: Int
            switch command {
            case "killaudit":
                var audit = KillAudit()
                audit.kills = try integer(options, "kills", 20, 2...100_000)
                audit.rowsPerFile = try integer(options, "rows", 2000, 100...1_000_000)
                audit.seed = UInt64(try integer(options, "seed", 1, 0...Int.max))
                audit.accord = accord
                audit.directory = directory
                let findings = try audit.run()
                report(findings)
                failures = findings.failures
            case "ioerrors":
                var harness = IOErrors()
                harness.cases = try integer(options, "cases", 8, 1...100_000)
                harness.rowsPerFile = try integer(options, "rows", 600, 50...1_000_000)
                harness.seed = UInt64(try integer(options, "seed", 1, 0...Int.max))
                harness.accord = accord
                harness.directory = directory
                let findings = try harness.run()
                report(findings)
                failures = findings.failures
            case "limits":
                var limits = Limits()
                limits.idle = try integer(options, "idle", 500, 1...5000)
                limits.seconds = Double(try integer(options, "seconds", 10, 1...3600))
                limits.writes = try integer(options, "writes", 20, 5...10_000)
                limits.accord = accord
                limits.directory = directory
                failures = try limits.run()
            default:
                var chaos = Chaos()
                chaos.nodes = try integer(options, "nodes", 3, 3...5)
                chaos.schedules = try integer(options, "schedules", 1, 1...1000)
                chaos.faults = try integer(options, "faults", 6, 1...1000)
                chaos.seed = UInt64(try integer(options, "seed", 1, 0...Int.max))
                chaos.accord = accord
                chaos.directory = directory
                guard let mode = ClockJumpMode(rawValue: options["clock-jumps"] ?? "on") else {
                    throw HarnessError("--clock-jumps must be one of \(ClockJumpMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                chaos.clockJumps = mode
                failures = try chaos.run()
            }
            if failures == 0 && given == nil { try? FileManager.default.removeItem(atPath: directory) }
            if failures > 0 { Figures.note("FAILED: nodes and logs kept in \(directory)") }
            exit(failures == 0 ? 0 : 1)
        } catch {
            Figures.note("\(error)")
            exit(2)
        }
    }

    static func integer(_ options: [String: String], _ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else { throw HarnessError("--\(name) must be an integer in \(range)") }
        return value
    }

    static func report(_ findings: IOErrors.Findings) {
        Figures.print("ioerrors.cases", findings.cases, "cases")
        Figures.print("ioerrors.import_cases", findings.importCases, "cases")
        Figures.print("ioerrors.sync_cases", findings.syncCases, "cases")
        Figures.print("ioerrors.faults_hit", findings.faultsHit, "cases")
        Figures.print("ioerrors.acknowledged_rows", findings.acknowledgedRows, "rows")
        Figures.print("ioerrors.acknowledged_missing", findings.sound.acknowledgedMissing, "rows")
        Figures.print("ioerrors.unnamed_errors", findings.unnamed)
        Figures.print("ioerrors.crashes", findings.crashes)
        Figures.print("ioerrors.integrity_failures", findings.sound.integrityFailures)
        Figures.print("ioerrors.stream_problems", findings.sound.streamProblems)
        Figures.print("ioerrors.verify_failures", findings.sound.verifyFailures)
        Figures.print("ioerrors.not_recovered", findings.notRecovered)
        for detail in findings.details { Figures.note(detail) }
    }

    static func report(_ findings: KillAudit.Findings) {
        Figures.print("killaudit.kills", findings.importKills + findings.syncKills, "kills")
        Figures.print("killaudit.import_kills", findings.importKills, "kills")
        Figures.print("killaudit.sync_kills", findings.syncKills, "kills")
        Figures.print("killaudit.acknowledged_rows", findings.acknowledgedRows, "rows")
        Figures.print("killaudit.acknowledged_missing", findings.sound.acknowledgedMissing, "rows")
        Figures.print("killaudit.integrity_failures", findings.sound.integrityFailures)
        Figures.print("killaudit.stream_problems", findings.sound.streamProblems)
        Figures.print("killaudit.verify_failures", findings.sound.verifyFailures)
        Figures.print("killaudit.reused_sequences", findings.reusedSequences)
        Figures.print("killaudit.heads_gone_back", findings.shrunkStreams)
        Figures.print("killaudit.duplicated_leaves", findings.duplicates)
        Figures.print("killaudit.restarts_sound", "\(findings.audits - findings.unsound)/\(findings.audits)", "audits")
        for detail in findings.details { Figures.note(detail) }
    }
}
