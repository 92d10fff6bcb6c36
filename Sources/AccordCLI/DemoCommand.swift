import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation
/// `accord demo`: a node with sample data, no set-up.
enum DemoCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["records", "dir"], flags: [])
        _ = try arguments.positionals(exactly: [])
        let records = try arguments.integer("records", default: 2000, range: 1...10_000_000)
        let directory = try arguments.option("dir") ?? makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let nodeDirectory = (directory as NSString).appendingPathComponent("retail")
        let csvPath = (directory as NSString).appendingPathComponent("retail-customers.csv")

        Output.line("Accord demo: one node of the sample federation \"acme\" with generated customers")
        Output.line("Directory: \(directory)")
        let population = SamplePopulation(persons: records, seed: 2026)
        let written = try population.writeCSV(unit: "retail", coverage: 1.0, noise: 0.1, to: csvPath, limit: records)
        Output.line("1. Generated \(Output.grouped(written)) customers of unit retail: \(csvPath)")

        let node = try Node.initialize(directory: nodeDirectory, unit: "retail", policyText: Array(SamplePolicy.text.utf8))
        Output.line("2. Created the node: accord init --unit retail --node \(nodeDirectory)")

        let report = try node.importRecords(from: csvPath, options: ImportOptions(format: .csv, mapping: ImportMapping()))
        Output.line("3. Imported: \(Output.grouped(report.recordsWritten)) records, \(Output.grouped(report.entriesWritten)) entries "
            + "in \(Output.grouped(report.batchesSealed)) signed batches, \(report.rowsRejected) rejected, "
            + String(format: "%.2f s", report.seconds))

        Output.line("4. Status (accord status --node \(nodeDirectory)):")
        Output.line(StatusCommand.text(try node.status()).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))

        if let first = try node.recordKeys(limit: 1).first, let view = try node.record(localId: first.localId) {
            Output.line("5. A record (accord record show \(first.localId) --node \(nodeDirectory)):")
            for entry in view.attributes { Output.line("   \(entry.attribute): \(entry.value ?? "(deleted)")  [\(entry.author)]") }
        }
        Output.line("")
        Output.line("Explore further:")
        Output.line("  accord records --node \(nodeDirectory) --limit 10")
        Output.line("  accord import \(csvPath) --node \(nodeDirectory)   # re-running writes nothing twice")
    }

    private static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "accord-demo-XXXXXX").utf8CString)
        guard let result = mkdtemp(&template) else { throw NodeError(.storage, "cannot create a temporary directory") }
        return String(cString: result)
    }
}
