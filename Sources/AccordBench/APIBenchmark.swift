import AccordAPI
import AccordImport
import AccordModel
import AccordNode
import AccordSampleData
import AccordStore
import Foundation

/// Record or profile reads by id over HTTPS keep-alive against a node holding N records: `wrk` (a
/// Debian package; `Benchmarks/api.sh` installs it) with C connections for D seconds, each request
/// a random record (`--reads records`, the default) or a random profile of them (`--reads profiles`:
/// `GET /v1/profiles/{id}`, after a full consolidation that is not timed), authenticated with a
/// bearer token, answered from the read-only pool and audit-logged like every personal-data request.
enum APIBenchmark {
    static func run(_ arguments: [String]) throws {
        let records = Int(Figures.option("records", in: arguments) ?? "") ?? 1_000_000
        let seconds = Int(Figures.option("duration", in: arguments) ?? "") ?? 30
        let connections = Int(Figures.option("connections", in: arguments) ?? "") ?? 10
        let threads = Int(Figures.option("threads", in: arguments) ?? "") ?? 2
        let wrk = Figures.option("wrk", in: arguments) ?? "/usr/bin/wrk"
        let reads = Figures.option("reads", in: arguments) ?? "records"
        guard reads == "records" || reads == "profiles" else { throw BenchmarkError("--reads is records or profiles") }
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw BenchmarkError("wrk is not at \(wrk): apt-get install -y wrk (Benchmarks/api.sh does), or give --wrk PATH")
        }
        let keep = Figures.option("keep", in: arguments)
        let directory = try keep ?? Figures.temporaryDirectory("accord-bench-api")
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let nodePath = directory + "/retail"
        print("# api benchmark: \(reads) reads, \(records) records, wrk -t\(threads) -c\(connections) -d\(seconds)s, directory \(directory)")

        if !FileManager.default.fileExists(atPath: nodePath + "/node.json") {
            let federation = try LocalFederation(directory: directory, units: ["retail"], logger: Logger(minimum: .error))
            let csv = directory + "/customers.csv"
            _ = try SamplePopulation(persons: records, seed: 42).writeCSV(unit: "retail", coverage: 1, noise: 0.1, to: csv, limit: records)
            let report = try federation.node("retail").importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
            try? FileManager.default.removeItem(atPath: csv)
            print("# imported \(report.recordsWritten) records (not timed)")
        }
        let node = try Node(directory: nodePath)
        let keys = try node.recordKeys(owner: node.unit, limit: 1)
        guard let first = keys.first, let firstNumber = Int(first.localId.dropFirst(2)) else { throw BenchmarkError("the node holds no records") }
        let lastId = Self.localId(firstNumber + records - 1)
        guard try node.record(localId: lastId) != nil else { throw BenchmarkError("record \(lastId) is missing: the ids are not contiguous") }
        let token = try node.createToken(role: .steward, name: "bench-\(UUID().uuidString.prefix(8))", operatorName: "accord-bench").secret
        let action = reads == "records" ? "api.records.read" : "api.profiles.read"
        let auditBefore = try node.store.auditCount(action: action)
        var profileIDs: [String] = []
        if reads == "profiles" {
            let started = Date()
            if try !ProfileMaintainer.isCurrent(store: node.store, policy: node.policy) { try node.refreshProfiles() }
            profileIDs = try node.store.allProfileIDs()
            guard !profileIDs.isEmpty else { throw BenchmarkError("the node holds no profiles") }
            print(String(format: "# %d profiles of %d records, consolidated in %.1f s (not timed)", profileIDs.count, records, Date().timeIntervalSince(started)))
            try profileIDs.joined(separator: "\n").write(toFile: directory + "/profiles.txt", atomically: true, encoding: .utf8)
        }

        let engine = SyncEngine(node: node, logger: Logger(minimum: .error))
        let api = try APIServer(engine: engine, logger: Logger(minimum: .warning))
        let port = try api.start(host: "127.0.0.1", port: 0)
        // The server's profile service loads every record first (a million in about 25 s); reads
        // measured meanwhile would share the cores with it.
        let loading = Date()
        guard api.waitForProfiles(timeout: 1_800) else { throw BenchmarkError("the profile service did not load the records") }
        print(String(format: "# the server's profile service loaded the records in %.1f s (not timed)", Date().timeIntervalSince(loading)))
        let script = directory + "/reads.lua"
        let profilesScript = """
            wrk.headers["Authorization"] = "Bearer \(token)"
            local ids = {}
            for line in io.lines("\(directory)/profiles.txt") do ids[#ids + 1] = line end
            math.randomseed(os.time() + math.floor(os.clock() * 1000000))
            request = function()
              return wrk.format("GET", "/v1/profiles/" .. ids[math.random(1, #ids)])
            end
            """
        try (reads == "profiles" ? profilesScript : """
            wrk.headers["Authorization"] = "Bearer \(token)"
            local first, count = \(firstNumber), \(records)
            math.randomseed(os.time() + math.floor(os.clock() * 1000000))
            request = function()
              local s = tostring(first + math.random(0, count - 1))
              if #s < 6 then s = string.rep("0", 6 - #s) .. s end
              return wrk.format("GET", "/v1/records/retail/R-" .. s)
            end
            """).write(toFile: script, atomically: true, encoding: .utf8)

        let usageBefore = Self.cpuSeconds()
        let output = try Self.runWrk(wrk, ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, "https://127.0.0.1:\(port)"])
        let serverCPU = Self.cpuSeconds() - usageBefore
        api.stop()
        print(output.split(separator: "\n").map { "# wrk: " + $0 }.joined(separator: "\n"))

        guard let rate = Self.number(after: "Requests/sec:", in: output),
              let total = Self.number(before: " requests in", in: output),
              let p99 = Self.latency("99%", in: output), let p50 = Self.latency("50%", in: output), let p90 = Self.latency("90%", in: output)
        else { throw BenchmarkError("cannot read wrk's output") }
        let errors = Self.number(after: "Non-2xx or 3xx responses:", in: output) ?? 0
        let audited = try Node(directory: nodePath).store.auditCount(action: action) - auditBefore
        let kind = reads == "records" ? "record" : "profile"
        Figures.report("api.\(kind)_reads_per_second", rate, "requests/s", goal: ">= 5000")
        Figures.report("api.\(kind)_read_p99", p99, "ms", goal: "<= 20", decimals: 2)
        Figures.report("api.\(kind)_read_p90", p90, "ms", decimals: 2)
        Figures.report("api.\(kind)_read_p50", p50, "ms", decimals: 2)
        Figures.report("api.requests", total, "requests")
        Figures.report("api.non_2xx", errors, "responses", goal: "0")
        Figures.report("api.audit_entries_written", Double(audited), "entries", goal: ">= requests (wrk counts only the answers it read)")
        Figures.report("api.server_cpu_per_request", serverCPU / max(1, total) * 1e6, "µs", decimals: 1)
        Figures.report("api.peak_rss", Figures.peakRSSMiB(), "MiB", decimals: 1)
    }

    /// The sample data's local id format: `R-` and at least six digits.
    static func localId(_ number: Int) -> String {
        let digits = String(number)
        return "R-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// User plus system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func runWrk(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("wrk failed: \(String(decoding: data, as: UTF8.self))") }
        return String(decoding: data, as: UTF8.self)
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.components(separatedBy: label)[1].trimmingCharacters(in: .whitespaces))
    }

    static func number(before label: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.components(separatedBy: label)[0].trimmingCharacters(in: .whitespaces))
    }

    /// A latency percentile line (`99%    5.21ms`) in milliseconds.
    static func latency(_ percentile: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile) }),
              let value = line.split(separator: " ").last else { return nil }
        for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where value.hasSuffix(suffix) {
            return Double(value.dropLast(suffix.count)).map { $0 * factor }
        }
        return nil
    }
}
