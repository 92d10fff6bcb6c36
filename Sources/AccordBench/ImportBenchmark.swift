import AccordImport
import AccordNode
import AccordSQLite
import AccordSampleData
import Foundation

/// Import N generated customers from CSV into a node, against the floor: the same rows inserted into
/// plain SQLite (one row per record, 10 columns, one prepared statement, one transaction, WAL).
enum ImportBenchmark {
    static func run(_ arguments: [String]) throws {
        let records = Int(Figures.option("records", in: arguments) ?? "") ?? 1_000_000
        let keep = Figures.option("keep", in: arguments)
        let directory = try keep ?? Figures.temporaryDirectory("accord-bench-import")
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let csvPath = directory + "/customers.csv"

        print("# import benchmark: \(records) records with 10 attributes, directory \(directory)")
        let generation = try Figures.time {
            _ = try SamplePopulation(persons: records, seed: 42).writeCSV(unit: "retail", coverage: 1.0, noise: 0.1, to: csvPath, limit: records)
        }
        print("# generated \(String(format: "%.1f", Figures.fileMiB(csvPath))) MiB of CSV in \(String(format: "%.2f", generation)) s (not timed)")

        // Accord: parse, normalize, validate, seal signed batches, merge entries, durable chunks.
        let node = try Node.initialize(directory: directory + "/node", unit: "retail", policyText: Array(SamplePolicy.text.utf8))
        var report = ImportReport()
        let accordSeconds = try Figures.time {
            report = try node.importRecords(from: csvPath, options: ImportOptions(format: .csv, mapping: ImportMapping()))
        }
        let accordRSS = Figures.peakRSSMiB()
        guard report.recordsWritten + report.recordsUnchanged == records, report.rowsRejected == 0 else {
            throw BenchmarkError("import wrote \(report.recordsWritten) of \(records) records, rejected \(report.rowsRejected)")
        }
        let databasePath = directory + "/node/accord.sqlite"
        let databaseMiB = Figures.fileMiB(databasePath)

        // Floor: the same normalized rows, already in memory, into plain SQLite.
        let rows = try loadRows(csvPath)
        let floorPath = directory + "/floor.sqlite"
        let floorSeconds = try floor(rows: rows, path: floorPath)

        Figures.report("import.records_per_second", Double(records) / accordSeconds, "records/s", goal: ">= 250000")
        Figures.report("import.seconds", accordSeconds, "s", decimals: 2)
        Figures.report("import.entries_per_second", Double(report.entriesWritten) / accordSeconds, "entries/s")
        Figures.report("import.batches_sealed", Double(report.batchesSealed), "batches")
        Figures.report("import.reader_busy", report.readSeconds, "s", decimals: 2)
        Figures.report("import.writer_busy", report.writeSeconds, "s", decimals: 2)
        Figures.report("floor.records_per_second", Double(records) / floorSeconds, "records/s")
        Figures.report("floor.seconds", floorSeconds, "s", decimals: 2)
        Figures.report("import.time_vs_floor", accordSeconds / floorSeconds, "x", goal: "<= 2.0", decimals: 2)
        Figures.report("import.peak_rss", accordRSS, "MiB", goal: "< 512", decimals: 1)
        Figures.report("import.database_size", databaseMiB, "MiB", decimals: 1)
        Figures.report("floor.database_size", Figures.fileMiB(floorPath), "MiB", decimals: 1)
    }

    /// The CSV's rows as the floor inserts them: id plus the 10 attribute columns, as text.
    private static func loadRows(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while let row = try reader.next() { rows.append(row.fields) }
        return rows
    }

    private static func floor(rows: [[String]], path: String) throws -> Double {
        let database = try Database(path: path)
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        try database.execute("""
            CREATE TABLE customers(id TEXT, given_name TEXT, family_name TEXT, birth_date TEXT, email TEXT,
              phone TEXT, street TEXT, city TEXT, postcode TEXT, country TEXT, segment TEXT)
            """)
        let insert = try database.prepare("INSERT INTO customers VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        return try Figures.time {
            try database.transaction {
                for row in rows {
                    for (index, field) in row.prefix(11).enumerated() { try insert.bind(field, at: Int32(index + 1)) }
                    try insert.run()
                }
            }
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
