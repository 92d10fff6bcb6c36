import Foundation

/// Clock jumps for `accord-reliability chaos` (issue 8): every process of a unit (its `accord serve`
/// and the `accord` commands of the write load and the checks) runs under libfaketime, reading its
/// offset from the wall clock from a file of its own (`FAKETIME_TIMESTAMP_FILE`, re-read at every
/// clock reading: `FAKETIME_NO_CACHE=1`), so one write of the file moves the clock of every
/// process of that unit, running or not, as a real machine's clock jump does. Monotonic clocks
/// stay real (`FAKETIME_DONT_FAKE_MONOTONIC=1`): a settimeofday jump does not move them either.
///
/// `FAKETIME_SHARED` is set to names that do not exist: left unset, libfaketime 0.9.10 sets it in
/// its constructor (for the `faketime` wrapper's shared memory), and that `setenv` moves `environ`
/// before the Swift runtime reads the command line on Linux, so `accord` would see no arguments.
/// With it set, libfaketime opens nothing, changes nothing and fakes time all the same.
///
/// Two faults: a jump of one unit's clock, back (up to 10 min) or ahead (up to ¾ of the policy's
/// future bound), held a while, then healed to real time; and a restart under a jump: the clock
/// set back, `kill -9` of the unit's `accord serve`, a restart still set back, then healed (its
/// HLC must continue from the persisted reading; ``ClockAudit`` checks the streams after heal).
///
/// `@unchecked Sendable`: the offsets and counts are only touched under `lock`.
final class ClockJumps: @unchecked Sendable {
    /// Where Debian's `faketime` package puts the library, by architecture.
    static let libraryPaths = [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    ]

    /// The library preloaded into every process of a unit.
    let library: String
    /// The policy's future bound (`clock.maxFutureMillis`), in milliseconds.
    let futureBoundMillis: Int64
    private let directory: String
    fileprivate let lock = NSLock()
    private var offsets: [String: Int] = [:]
    private var counts = Counts()
    fileprivate var totals = AuditTotals()

    /// What ``audit(_:units:)`` found, over the run.
    fileprivate struct AuditTotals {
        var wentBack = 0
        var beyondBound = 0
        var furthestAheadMillis: Int64 = 0
        var refusedBatches: [String: Int] = [:]
        var refusedEntries: [String: Int] = [:]
    }

    /// How many clock faults were injected.
    struct Counts {
        var jumpsBack = 0
        var jumpsAhead = 0
        var restartsUnderJump = 0
        /// The largest offsets set, in seconds.
        var furthestBack = 0
        var furthestAhead = 0
    }

    /// Finds libfaketime, reads the future bound from the policy of the first unit's node, and
    /// writes a real-time offset (`+0`) for every unit under `directory`/clock.
    init(cluster: Cluster) throws {
        guard let found = Self.libraryPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw HarnessError("libfaketime not found at \(Self.libraryPaths.joined(separator: " or ")): "
                + "apt-get install faketime, or run chaos with --clock-jumps off")
        }
        library = found
        let policyPath = cluster.path(cluster.units[0]) + "/policy.json"
        guard let data = FileManager.default.contents(atPath: policyPath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let clock = object["clock"] as? [String: Any], let bound = (clock["maxFutureMillis"] as? NSNumber)?.int64Value
        else { throw HarnessError("no clock.maxFutureMillis in \(policyPath)") }
        futureBoundMillis = bound
        directory = cluster.directory + "/clock"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for unit in cluster.units { try set(unit, seconds: 0) }
        try probe(scratch: cluster.directory + "/scratch")
    }

    /// The environment of every process of `unit`.
    func environment(_ unit: String) -> [String: String] {
        Self.environment(library: library, file: file(unit))
    }

    /// The libfaketime settings for a process reading its offset from `file` (see the type's comment).
    static func environment(library: String, file: String) -> [String: String] {
        ["LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": file, "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
         "FAKETIME_SHARED": "/accord-no-faketime-sem /accord-no-faketime-shm"]
    }

    /// Checks that the library moves a process's clock: `date +%s` under an offset of one hour back.
    private func probe(scratch: String) throws {
        let offsetFile = directory + "/probe.faketime"
        guard FileManager.default.createFile(atPath: offsetFile, contents: Data("-3600s\n".utf8)) else {
            throw HarnessError("cannot write \(offsetFile)")
        }
        let result = try ChildProcess.run("/bin/date", ["+%s"], scratch: scratch, timeout: 10,
                                          environment: Self.environment(library: library, file: offsetFile))
        let shown = Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let offset = shown - Date().timeIntervalSince1970
        guard result.ok, abs(offset + 3600) < 30 else {
            throw HarnessError("libfaketime (\(library)) does not move the clock: date under -3600s printed "
                + "\(result.stdout.prefix(40).debugDescription), \(result.stderr.prefix(200).debugDescription)")
        }
    }

    /// The offset of `unit`'s clock from real time, in seconds.
    func offset(_ unit: String) -> Int { lock.withLock { offsets[unit] ?? 0 } }

    /// Sets `unit`'s clock `seconds` from real time (0: real time). The file is replaced by a
    /// rename, so a process reading it sees the old or the new offset, never a torn one.
    func set(_ unit: String, seconds: Int) throws {
        let temporary = file(unit) + ".new"
        let text = (seconds < 0 ? "\(seconds)s" : "+\(seconds)s") + "\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)),
              rename(temporary, file(unit)) == 0
        else { throw HarnessError("cannot write the clock offset of \(unit) to \(file(unit)): errno \(errno)") }
        lock.withLock { offsets[unit] = seconds }
    }

    /// Returns every unit's clock to real time.
    func healAll(_ units: [String]) {
        for unit in units where offset(unit) != 0 {
            do { try set(unit, seconds: 0) } catch { Figures.note("\(error)") }
        }
    }

    /// The clock faults injected so far.
    var injected: Counts { lock.withLock { counts } }

    /// One clock fault on `unit`, held a random while, then healed: a jump (back or ahead, within
    /// the future bound), or a restart of its `accord serve` while its clock is set back.
    func inject(_ random: inout SeededRandom, unit: String, cluster: Cluster) {
        let aheadLimit = max(1, Int(futureBoundMillis * 3 / 4 / 1000))
        do {
            switch random.below(3) {
            case 0:
                let seconds = -(5 + random.below(596))  // 5 s .. 10 min back
                try set(unit, seconds: seconds)
                note { $0.jumpsBack += 1; $0.furthestBack = max($0.furthestBack, -seconds) }
                Thread.sleep(forTimeInterval: random.uniform(1, 4))
            case 1:
                let seconds = 1 + random.below(aheadLimit)  // ahead, inside the future bound
                try set(unit, seconds: seconds)
                note { $0.jumpsAhead += 1; $0.furthestAhead = max($0.furthestAhead, seconds) }
                Thread.sleep(forTimeInterval: random.uniform(1, 4))
            default:
                let seconds = -(60 + random.below(541))  // 1 .. 10 min back
                try set(unit, seconds: seconds)
                note { $0.restartsUnderJump += 1; $0.furthestBack = max($0.furthestBack, -seconds) }
                Thread.sleep(forTimeInterval: random.uniform(0.5, 1.5))
                cluster.kill9(unit)
                Thread.sleep(forTimeInterval: random.uniform(0.2, 1))
                do { try cluster.start(unit) } catch { Figures.note("restart of \(unit) under a clock jump failed: \(error); retried at heal") }
                Thread.sleep(forTimeInterval: random.uniform(0.5, 2))
            }
            try set(unit, seconds: 0)
        } catch {
            Figures.note("clock fault on \(unit): \(error)")
        }
    }

    /// The `--clock-jumps beyond-bound` run's fault: `unit`'s clock `seconds` ahead (more than the
    /// future bound) for `hold` seconds while it writes, then back to real time.
    func jumpBeyondBound(_ unit: String, seconds: Int, hold: Double) throws {
        try set(unit, seconds: seconds)
        note { $0.jumpsAhead += 1; $0.furthestAhead = max($0.furthestAhead, seconds) }
        Thread.sleep(forTimeInterval: hold)
        try set(unit, seconds: 0)
    }

    /// Prints the clock fault figures.
    func printFigures() {
        let counts = injected
        Figures.print("chaos.faults.clock_back", counts.jumpsBack, "faults")
        Figures.print("chaos.faults.clock_ahead", counts.jumpsAhead, "faults")
        Figures.print("chaos.faults.restart_under_jump", counts.restartsUnderJump, "faults")
        Figures.print("chaos.clock.furthest_back", counts.furthestBack, "s")
        Figures.print("chaos.clock.furthest_ahead", counts.furthestAhead, "s")
        Figures.print("chaos.clock.future_bound", Int(futureBoundMillis / 1000), "s")
    }

    private func note(_ change: (inout Counts) -> Void) { lock.withLock { change(&counts) } }
    private func file(_ unit: String) -> String { directory + "/\(unit).faketime" }
}

/// Whether and how `accord-reliability chaos` jumps clocks (`--clock-jumps`).
enum ClockJumpMode: String, CaseIterable {
    /// Clock jumps among the random faults, always inside the future bound ahead (the default).
    case on
    /// No libfaketime, no clock faults (a machine without the `faketime` package).
    case off
    /// As `on`, plus at the start of the first schedule one writing unit's clock jumps ahead by
    /// five times the future bound for a few seconds: what becomes of its writes.
    case beyondBound = "beyond-bound"
}

extension ClockJumps {
    /// The `beyond-bound` jump: five times the future bound ahead, in seconds.
    var beyondBoundSeconds: Int { Int(futureBoundMillis * 5 / 1000) }

    /// Runs ``ClockAudit`` on every unit after heal; notes what it found, adds to the totals, and
    /// returns the number of defects (a clock that went back, an entry beyond the future bound).
    func audit(_ cluster: Cluster, units: [String]) throws -> Int {
        var defects = 0
        for unit in units {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let found = try ClockAudit.read(node: cluster.path(unit), futureBoundMillis: futureBoundMillis, realNowMillis: now)
            found.wentBack.prefix(3).forEach { Figures.note("\(unit): clock went back in \($0)") }
            if found.beyondBound > 0 {
                Figures.note("\(unit) holds \(found.beyondBound) entries beyond real time + \(futureBoundMillis) ms "
                    + "(furthest \(found.furthestAheadMillis) ms ahead)")
            }
            defects += found.wentBack.count + found.beyondBound
            lock.withLock {
                totals.wentBack += found.wentBack.count
                totals.beyondBound += found.beyondBound
                totals.furthestAheadMillis = max(totals.furthestAheadMillis, found.furthestAheadMillis)
                // The stores keep their refusals: the last schedule's counts are the run's.
                totals.refusedBatches[unit] = found.refusedBatches
                totals.refusedEntries[unit] = found.refusedEntries
            }
        }
        return defects
    }

    /// Prints the totals of ``audit(_:units:)``.
    func printAuditFigures() {
        let totals = lock.withLock { self.totals }
        Figures.print("chaos.clock.went_back", totals.wentBack, "streams")
        Figures.print("chaos.clock.entries_beyond_bound", totals.beyondBound, "entries")
        Figures.print("chaos.clock.furthest_entry_ahead", String(format: "%.1f", Double(totals.furthestAheadMillis) / 1000), "s")
        Figures.print("chaos.clock.refused_batches_future_bound", totals.refusedBatches.values.reduce(0, +), "batches")
        Figures.print("chaos.clock.refused_entries_future_bound", totals.refusedEntries.values.reduce(0, +), "entries")
    }
}
