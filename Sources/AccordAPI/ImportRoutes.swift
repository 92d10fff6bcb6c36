import AccordCrypto
import AccordHTTP
import AccordImport
import AccordNode
import Foundation

/// `POST /v1/import`: a CSV (`text/csv`) or JSON-lines (`application/x-ndjson`) body, imported
/// as `accord import` would (`?map=` as its `--map`).
enum ImportRoutes {
    static let csvTypes: Set<String> = ["text/csv"]
    static let jsonLinesTypes: Set<String> = ["application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines"]

    static func run(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["map"])
        let format: ImportFormat
        switch request.http.mediaType {
        case let type? where csvTypes.contains(type): format = .csv
        case let type? where jsonLinesTypes.contains(type): format = .jsonl
        default:
            throw HTTPError(.unsupportedMediaType, "an import body is CSV (Content-Type: text/csv) or JSON lines (Content-Type: application/x-ndjson)")
        }
        let mapping: ImportMapping
        do {
            mapping = try query.value("map").map(ImportMapping.parse) ?? ImportMapping()
        } catch {
            throw HTTPError(.badRequest, "query parameter \"map\": \(error)")
        }
        guard !request.http.body.isEmpty else { throw HTTPError(.badRequest, "the import body is empty") }
        // The import pipeline reads a file: the body goes to one in the node's run/ directory, removed afterwards.
        let directory = request.services.directory + "/run"
        let name = try SecureRandom.bytes(count: 8).map { String(format: "%02x", $0) }.joined()
        let path = directory + "/api-import-\(name).\(format.rawValue)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(request.http.body), attributes: [.posixPermissions: 0o600]) else {
                throw NodeError(.storage, "cannot write \(path)")
            }
        } catch {
            throw NodeError(.storage, "cannot stage the import body", cause: error)
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try request.write { node in try node.importRecords(from: path, options: ImportOptions(format: format, mapping: mapping)) }
        return .json([
            "rowsRead": .int(report.rowsRead), "recordsWritten": .int(report.recordsWritten), "recordsUnchanged": .int(report.recordsUnchanged),
            "rowsRejected": .int(report.rowsRejected), "entriesWritten": .int(report.entriesWritten), "batchesSealed": .int(report.batchesSealed),
            "unmappedColumns": .array(report.unmappedColumns.map { .string($0) }),
            "errors": .array(report.errors.map { ["line": .int($0.line), "column": .string($0.column), "reason": .string($0.reason)] }),
        ])
    }
}
