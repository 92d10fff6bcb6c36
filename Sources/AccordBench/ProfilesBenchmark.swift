import AccordImport
import AccordModel
import AccordNode
import AccordSampleData
import AccordStore
import Foundation

/// Persisted profiles on a node holding two units' overlapping customers (synced over TLS): the full
/// consolidation (load every record, resolve, render and store every profile), then one new record
/// at a time, each followed by one incremental step (read the new batch, re-resolve, store).
enum ProfilesBenchmark {
    static func run(_ arguments: [String]) throws {
        let persons = Int(Figures.option("persons", in: arguments) ?? "") ?? 50_000
        let steps = Int(Figures.option("new", in: arguments) ?? "") ?? 50
        let directory = try Figures.temporaryDirectory("accord-bench-profiles")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print("# profiles benchmark: \(persons) persons, retail and insurance each hold 60%, directory \(directory)")
        let units = ["retail", "insurance"]
        let federation = try LocalFederation(directory: directory, units: units, logger: Logger(minimum: .error))
        let population = SamplePopulation(persons: persons, seed: 7)
        for unit in units {
            let csv = directory + "/\(unit).csv"
            _ = try population.writeCSV(unit: unit, coverage: 0.6, noise: 0.1, to: csv)
            _ = try federation.node(unit).importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
        }
        try federation.serve("retail", peers: [])
        try federation.serve("insurance", peers: ["retail"])
        guard federation.waitForConvergence(timeout: 600) else { throw BenchmarkError("the nodes did not converge") }
        federation.stopAll()

        let node = try federation.node("retail")
        let maintainer = ProfileMaintainer(store: node.store, policy: node.policy)
        var full: ConsolidationReport?
        let rssBefore = Figures.peakRSSMiB()
        let cpuBefore = cpuSeconds()
        let fullSeconds = try Figures.time { full = try maintainer.step(full: true) }
        let fullCPU = cpuSeconds() - cpuBefore
        let rss = Figures.peakRSSMiB()
        guard let full else { return }
        var stepMillis: [Double] = []
        var stepCPU: [Double] = []
        for index in 0..<steps {
            try node.write(localId: "NEW-\(index)", values: [
                "given_name": .text("Bench"), "family_name": .text("Person \(index)"), "birth_date": .text("1980-01-01"),
            ])
            var report: ConsolidationReport?
            let cpu = cpuSeconds()
            stepMillis.append(try Figures.time { report = try maintainer.step() } * 1000)
            stepCPU.append((cpuSeconds() - cpu) * 1000)
            guard report?.full == false, report?.recordsTouched == 1 else { throw BenchmarkError("a step was not incremental: \(String(describing: report))") }
        }
        stepMillis.sort()
        stepCPU.sort()
        Figures.report("profiles.records", Double(full.recordsTouched), "records")
        Figures.report("profiles.profiles", Double(full.profiles), "profiles")
        Figures.report("profiles.full_seconds", fullSeconds, "s", decimals: 2)
        Figures.report("profiles.full_cpu_seconds", fullCPU, "s", decimals: 2)
        Figures.report("profiles.peak_rss_before", rssBefore, "MiB", decimals: 1)
        Figures.report("profiles.peak_rss", rss, "MiB", decimals: 1)
        Figures.report("profiles.step_median", stepMillis[stepMillis.count / 2], "ms", decimals: 2)
        Figures.report("profiles.step_max", stepMillis.last ?? 0, "ms", decimals: 2)
        Figures.report("profiles.step_cpu_median", stepCPU[stepCPU.count / 2], "ms", decimals: 2)
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
