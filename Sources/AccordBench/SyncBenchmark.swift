import AccordCrypto
import AccordImport
import AccordLedger
import AccordModel
import AccordNode
import AccordSampleData
import AccordStore
import AccordSync
import Foundation

/// Sync over mutual TLS on loopback, nodes in this process: bootstrap of a new node, an incremental
/// change of 1% of the records, and the latency of one change across five nodes (mesh and hub).
enum SyncBenchmark {
    static func run(_ arguments: [String]) throws {
        let records = Int(Figures.option("records", in: arguments) ?? "") ?? 1_000_000
        let changes = Int(Figures.option("changes", in: arguments) ?? "") ?? 1000
        let directory = try Figures.temporaryDirectory("accord-bench-sync")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let units = ["retail", "insurance", "support", "webshop", "governance"]
        let federation = try makeFederation(directory + "/bootstrap", units)

        print("# sync benchmark: \(records) records with 10 attributes, \(changes) latency samples, directory \(directory)")
        let csv = directory + "/customers.csv"
        _ = try SamplePopulation(persons: records, seed: 42).writeCSV(unit: "retail", coverage: 1, noise: 0.1, to: csv, limit: records)
        let source = try federation.node("retail")
        _ = try source.importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
        let sourceHeads = try source.store.streamHeads()
        print("# retail holds \(sourceHeads.map(\.sequence).reduce(0, +)) batches (not timed)")

        // Apply alone, no network: every batch of retail checked and applied by an engine for a fresh node.
        if ProcessInfo.processInfo.environment["ACCORD_BENCH_APPLY_ONLY"] != nil {
            let target = SyncEngine(node: try federation.node("support"), logger: Logger(minimum: .error))
            var batches: [Batch] = []
            for head in sourceHeads {
                var after: UInt64 = 0
                while true {
                    let chunk = try source.store.batches(in: head.stream, after: after, limit: 256)
                    guard let last = chunk.last else { break }
                    batches += chunk
                    after = last.header.sequence
                }
            }
            // As the pipeline does it, on one thread: check every batch, apply them in groups.
            var checkSeconds = 0.0
            var applySeconds = 0.0
            let cpu = APIBenchmark.cpuSeconds()
            var start = 0
            while start < batches.count {
                let group = batches[start..<min(batches.count, start + 64)]
                var checked: [CheckedBatch] = []
                checkSeconds += Figures.time { checked = group.map(target.check) }
                applySeconds += Figures.time { _ = target.apply(checked, from: "retail") }
                start += group.count
            }
            print("# apply only: check \(String(format: "%.2f", checkSeconds)) s, apply \(String(format: "%.2f", applySeconds)) s, cpu \(String(format: "%.2f", APIBenchmark.cpuSeconds() - cpu)) s")
            Figures.report("sync.apply_only_records_per_second", Double(records) / (checkSeconds + applySeconds), "records/s")
        }

        // Bootstrap: insurance starts empty and dials retail.
        let retail = try federation.serve("retail", peers: [])
        // A node serving for a while is past its start-up maintenance (a retention pass over every
        // record, under the store lock); the bootstrap is timed from there.
        try waitUntil(timeout: 600) { retail.engine.maintenanceCount > 0 }
        let bootstrapCPU = APIBenchmark.cpuSeconds()
        let bootstrap = try Figures.time {
            let insurance = try federation.serve("insurance", peers: ["retail"])
            try waitUntil(timeout: 600) { try holds(insurance.engine, sourceHeads) }
        }
        Figures.report("sync.bootstrap_seconds", bootstrap, "s", goal: "<= 10", decimals: 2)
        Figures.report("sync.bootstrap_records_per_second", Double(records) / bootstrap, "records/s")
        Figures.report("sync.bootstrap_cpu_seconds", APIBenchmark.cpuSeconds() - bootstrapCPU, "s", decimals: 2)
        Figures.report("sync.peak_rss_two_nodes", Figures.peakRSSMiB(), "MiB", goal: "<= 512 per node", decimals: 1)

        // Incremental: 1% of retail's records change in one commit; time until insurance applied them.
        let changed = max(1, records / 100)
        let insurance = federation.running["insurance"]!
        let target = try retail.engine.withNode { node -> [StreamHead] in
            var writes: [PendingWrite] = []
            for record in SamplePopulation(persons: records, seed: 42).records(unit: "retail", coverage: 1, noise: 0).prefix(changed) {
                writes.append(PendingWrite(record: RecordKey(unchecked: node.unit, localId: record.localId),
                                           changes: [(attribute: AttributeName(unchecked: "segment"), value: .text("business"))]))
            }
            _ = try node.store.commitLocal(writes, shareClass: { _ in "identity" }, policyVersion: retail.engine.policyVersion,
                                           key: try Ed25519PrivateKey.read(fromFile: node.directory + "/keys/signing.pem"), now: node.now())
            return try node.store.streamHeads()
        }
        let incremental = try Figures.time {
            retail.engine.noteChange()
            try waitUntil(timeout: 60) { try holds(insurance.engine, target) }
        }
        Figures.report("sync.incremental_seconds", incremental, "s", goal: "<= 0.5 (\(changed) records changed)", decimals: 3)
        federation.stopAll()

        // Latency across five nodes: mesh, then hub, on a new federation (not behind a bootstrap).
        for topology in ["mesh", "hub"] {
            let quiet = try makeFederation(directory + "/latency-" + topology, units)
            let latencies = try latency(quiet, topology: topology, samples: changes)
            Figures.report("sync.latency_\(topology)_p50", percentile(latencies, 0.50) * 1000, "ms", goal: "<= 10", decimals: 2)
            Figures.report("sync.latency_\(topology)_p99", percentile(latencies, 0.99) * 1000, "ms", goal: "<= 50", decimals: 2)
        }
    }

    /// A federation in this process, with a short poll interval and quick redials.
    static func makeFederation(_ directory: String, _ units: [String]) throws -> LocalFederation {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let level: Logger.Level = ProcessInfo.processInfo.environment["ACCORD_BENCH_LOG"] == "debug" ? .debug : .error
        return try LocalFederation(directory: directory, units: units, logger: Logger(minimum: level)) { unit in
            var settings = SyncService.Settings(unit: unit)
            settings.pollInterval = 0.005
            settings.minBackoff = 0.05
            return settings
        }
    }

    /// Latency of single changes: write on one node, time until every other node holds it.
    static func latency(_ federation: LocalFederation, topology: String, samples: Int) throws -> [Double] {
        let hub = federation.units[0]
        for (index, unit) in federation.units.enumerated() {
            let peers = topology == "hub" ? (unit == hub ? [] : [hub]) : Array(federation.units[..<index])
            try federation.serve(unit, peers: peers)
        }
        defer { federation.stopAll() }
        try waitUntil(timeout: 30) { federation.running.values.allSatisfy { $0.service.peerStatus().allSatisfy(\.connected) } }
        Thread.sleep(forTimeInterval: 0.5)
        let writers = federation.units.filter { $0 != "governance" }  // governance authors nothing under the sample policy
        var latencies: [Double] = []
        for sample in 0..<samples {
            let writer = writers[sample % writers.count]
            let served = federation.running[writer]!
            let start = DispatchTime.now().uptimeNanoseconds
            let head = try served.engine.withNode { node -> StreamHead in
                try node.write(localId: "L-\(sample)", values: ["given_name": .text("Name \(sample)")])
                return try node.store.streamHead(StreamID(unchecked: node.unit, shareClass: "identity"))
            }
            served.engine.noteChange()
            let others = federation.running.filter { $0.key != writer }.map(\.value.engine)
            try waitUntil(timeout: 10) {
                try others.allSatisfy { try $0.withNode { try $0.store.streamHead(head.stream).sequence } >= head.sequence }
            }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return latencies
    }

    static func holds(_ engine: SyncEngine, _ target: [StreamHead]) throws -> Bool {
        let heads = Dictionary(try engine.heads().map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
        return target.allSatisfy { (heads[$0.stream] ?? 0) >= $0.sequence }
    }

    static func waitUntil(timeout: Double, _ check: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !check() {
            guard Date() < deadline else { throw BenchmarkError("timed out after \(timeout) s") }
            Thread.sleep(forTimeInterval: 0.0005)
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}
