import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation
/// `accord import`: imports a CSV or JSON-lines file.
enum ImportCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["format", "map", "node", "chunk"], flags: ["json", "quiet", "progress-json"])
        let path = try arguments.positionals(exactly: ["file"])[0]
        let format: ImportFormat
        if let name = arguments.option("format") {
            guard let chosen = ImportFormat(rawValue: name) else { throw UsageError(message: "--format must be csv or jsonl") }
            format = chosen
        } else if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") {
            format = .jsonl
        } else {
            format = .csv
        }
        let mapping: ImportMapping
        do {
            mapping = try arguments.option("map").map(ImportMapping.parse) ?? ImportMapping()
        } catch {
            throw UsageError(message: "--map: \(error)")
        }
        let chunk = try arguments.integer("chunk", default: 16_384, range: 1...1_000_000)
        let node = try CLI.openNode(arguments)
        let showProgress = !arguments.flag("quiet") && !arguments.flag("json") && Output.stderrIsTerminal
        var lastShown = Date.distantPast
        let progressJSON = arguments.flag("progress-json")
        let report = try node.importRecords(from: path, options: ImportOptions(format: format, mapping: mapping, chunkSize: chunk)) { progress in
            // One line per durable chunk: every row counted in rowsRead is acknowledged (committed).
            if progressJSON {
                StandardStream.error.write(
                    "{\"committed\":true,\"rowsRead\":\(progress.rowsRead),\"recordsWritten\":\(progress.recordsWritten)}\n")
            }
            guard showProgress, Date().timeIntervalSince(lastShown) > 0.2 else { return }
            lastShown = Date()
            var text = "\rimporting: \(Output.grouped(progress.rowsRead)) rows read, \(Output.grouped(progress.recordsWritten)) records written"
            if let total = progress.totalBytes, total > 0 { text += " (\(progress.bytesRead * 100 / total)%)" }
            Output.progress(text)
        }
        if showProgress { Output.progress("\r\u{1B}[K") }
        if arguments.flag("json") {
            try Output.json([
                "rowsRead": report.rowsRead, "recordsWritten": report.recordsWritten, "recordsUnchanged": report.recordsUnchanged,
                "rowsRejected": report.rowsRejected, "rowsOfErasedRecords": report.rowsOfErasedRecords, "entriesWritten": report.entriesWritten, "batchesSealed": report.batchesSealed,
                "unmappedColumns": report.unmappedColumns, "seconds": report.seconds,
                "errors": report.errors.map { ["line": $0.line, "column": $0.column, "reason": $0.reason] as [String: Any] },
            ])
        } else {
            Output.line("Imported \(path): \(Output.grouped(report.rowsRead)) rows read, \(Output.grouped(report.recordsWritten)) records written, "
                + "\(Output.grouped(report.recordsUnchanged)) unchanged, \(Output.grouped(report.rowsRejected)) rejected "
                + "(\(Output.grouped(report.entriesWritten)) entries in \(Output.grouped(report.batchesSealed)) batches, "
                + String(format: "%.2f s", report.seconds) + ")")
            if report.rowsOfErasedRecords > 0 {
                Output.line("Refused \(Output.grouped(report.rowsOfErasedRecords)) rows of erased records (a record key once erased stays erased)")
            }
            if !report.unmappedColumns.isEmpty {
                Output.line("Ignored columns (no attribute): \(report.unmappedColumns.joined(separator: ", "))")
            }
            for error in report.errors { Output.error("\(path): \(error)") }
            if report.rowsRejected > report.errors.count {
                Output.error("\(path): \(report.rowsRejected - report.errors.count) more rejected rows not listed")
            }
        }
        if report.rowsRejected > 0 {
            throw NodeError(.importFailed, "\(report.rowsRejected) rows were rejected; fix them and re-run the import (rows already imported are skipped)")
        }
    }
}
