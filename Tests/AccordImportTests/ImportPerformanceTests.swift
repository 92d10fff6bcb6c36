import AccordImport
import AccordSampleData
import Foundation
import Testing

/// Throughput measurement; runs only with ACCORD_PERF=1 (use `swift test -c release`).
/// Prints numbers and asserts nothing about time.
@Suite struct ImportPerformanceTests {
    static let enabled = ProcessInfo.processInfo.environment["ACCORD_PERF"] == "1"

    @Test(.enabled(if: enabled)) func millionRows() throws {
        let rows = Int(ProcessInfo.processInfo.environment["ACCORD_PERF_ROWS"] ?? "") ?? 1_000_000
        let keep = ProcessInfo.processInfo.environment["ACCORD_PERF_FILE"]
        let path = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("perf-\(UUID().uuidString).csv").path
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: path) } }
        let population = SamplePopulation(persons: rows, seed: 7)
        let clock = ContinuousClock()
        var written = 0
        let writeTime = try clock.measure {
            if keep == nil || !FileManager.default.fileExists(atPath: path) {
                written = try population.writeCSV(unit: "retail", coverage: 1.0, noise: 0.1, to: path)
            }
        }
        let readStart = clock.now
        let reader = try CSVReader(path: path)
        let importer = try RowImporter(rules: customerRules, mapping: ImportMapping(), header: reader.header, settings: .init())
        var accepted = 0, rejected = 0, onlyParse = 0
        while let row = try reader.next() {
            switch importer.convert(row) {
            case .record: accepted += 1
            case .rejected: rejected += 1
            }
        }
        let importTime = clock.now - readStart
        let parseStart = clock.now
        let parser = try CSVReader(path: path)
        while try parser.next() != nil { onlyParse += 1 }
        let parseTime = clock.now - parseStart
        func perSecond(_ n: Int, _ d: Duration) -> Int {
            Int(Double(n) / (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18))
        }
        let fusedStart = clock.now
        let fusedReader = try CSVReader(path: path)
        var fusedOK = 0
        let fusedRows = try importer.importRows(from: fusedReader) { if case .record = $0 { fusedOK += 1 } }
        let fusedTime = clock.now - fusedStart
        #expect(fusedOK == accepted)
        print("PERF importRows (fused) \(fusedRows) rows in \(fusedTime) (\(perSecond(fusedRows, fusedTime)) rows/s)")
        print("PERF write \(written) rows in \(writeTime) (\(perSecond(written, writeTime)) rows/s)")
        print("PERF parse only \(onlyParse) rows in \(parseTime) (\(perSecond(onlyParse, parseTime)) rows/s)")
        print("PERF parse+convert \(accepted) ok, \(rejected) rejected in \(importTime) (\(perSecond(accepted + rejected, importTime)) rows/s)")
        #expect(rejected == 0)
    }
}
