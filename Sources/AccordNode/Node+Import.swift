public import AccordImport
import AccordModel
import AccordPolicy
import AccordStore
import Foundation
import Synchronization

/// The format of an import file.
public enum ImportFormat: String, Sendable, CaseIterable {
    /// Comma-separated values with a header row (RFC 4180).
    case csv
    /// One JSON object per line.
    case jsonl
}

/// How to run an import.
public struct ImportOptions: Sendable {
    /// The file's format.
    public var format: ImportFormat
    /// Which column holds the local id and which columns feed which attributes.
    public var mapping: ImportMapping
    /// Rows per transaction: each chunk is durable before the next starts.
    public var chunkSize: Int
    /// How many row errors the report keeps (all are counted).
    public var maxReportedErrors: Int

    /// Creates options.
    public init(format: ImportFormat, mapping: ImportMapping, chunkSize: Int = 16_384, maxReportedErrors: Int = 1000) {
        self.format = format
        self.mapping = mapping
        self.chunkSize = chunkSize
        self.maxReportedErrors = maxReportedErrors
    }
}

/// Where a running import stands.
public struct ImportProgress: Sendable {
    /// Rows read so far.
    public var rowsRead: Int
    /// Bytes of the file read so far.
    public var bytesRead: Int
    /// The file's size, when known.
    public var totalBytes: Int?
    /// Records durably written so far.
    public var recordsWritten: Int
}

/// What an import did.
public struct ImportReport: Sendable {
    /// Data rows read (the header not counted).
    public var rowsRead = 0
    /// Records that got new entries.
    public var recordsWritten = 0
    /// Records whose values the unit already held (nothing written: re-running an import is safe).
    public var recordsUnchanged = 0
    /// Rows refused, whole, because a field was invalid.
    public var rowsRejected = 0
    /// Rows refused because their record was erased (a record key once erased stays erased).
    public var rowsOfErasedRecords = 0
    /// Entries written.
    public var entriesWritten = 0
    /// Signed batches sealed.
    public var batchesSealed = 0
    /// The first row errors (line, column, reason), up to ``ImportOptions/maxReportedErrors``.
    public var errors: [RowError] = []
    /// Columns of the file that feed no attribute.
    public var unmappedColumns: [String] = []
    /// Wall time, seconds.
    public var seconds = 0.0
    /// Seconds the reading thread spent reading, normalizing and preparing rows.
    public var readSeconds = 0.0
    /// Seconds the writing thread spent in store transactions.
    public var writeSeconds = 0.0

    /// An empty report.
    public init() {}
}

extension Node {
    /// The import rules for every attribute this unit may author.
    func fieldRules() -> [FieldRule] {
        policy.attributes.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }.compactMap { attribute -> FieldRule? in
            guard case .allowed = policy.mayAuthor(unit: unit.rawValue, attribute: attribute.name),
                  let type = FieldType(rawValue: attribute.type.rawValue) else { return nil }
            return FieldRule(
                name: attribute.name, type: type, multiValued: attribute.multiValued, maxLength: attribute.maxLength,
                allowedValues: attribute.allowedValues.map(Set.init), pattern: attribute.pattern, required: attribute.required)
        }
    }

    /// Import settings: the node's configuration overrides the policy's defaults.
    package func normalizationSettings() -> NormalizationSettings {
        let order = config.dateOrder.flatMap(AccordImport.DateOrder.init(rawValue:))
            ?? AccordImport.DateOrder(rawValue: policy.defaults.dateOrder.rawValue) ?? .dayFirst
        return NormalizationSettings(defaultCountry: config.defaultCountry ?? policy.defaults.country, dateOrder: order)
    }

    /// Imports customer records from a CSV or JSON-lines file.
    ///
    /// Rows are read and normalized on one thread and written on another, in chunks of
    /// ``ImportOptions/chunkSize`` rows; each chunk is one durable transaction. A row with any
    /// invalid field is refused whole and reported with its line, column and reason. Values the
    /// unit already holds are not written again, so an interrupted import can simply be re-run.
    /// - Parameters:
    ///   - path: the file.
    ///   - options: format and mapping.
    ///   - progress: called after each chunk is durable.
    /// - Throws: ``NodeError`` `.importFailed` when the file cannot be read or its header does
    ///   not fit the mapping, `.notAllowed` when a column feeds an attribute this unit may not
    ///   author. Chunks written before a failure stay written.
    public func importRecords(
        from path: String, options: ImportOptions, progress: ((ImportProgress) -> Void)? = nil
    ) throws -> ImportReport {
        let started = Date()
        let rules = fieldRules()
        let reader: any SourceRowReader
        let header: [String]
        let totalBytes: Int?
        do {
            switch options.format {
            case .csv:
                let csv = try CSVReader(path: path)
                reader = csv
                header = csv.header
                totalBytes = csv.totalBytes
            case .jsonl:
                header = [options.mapping.idColumn] + rules.map(\.name).filter { name in
                    !options.mapping.columns.values.contains(name)
                } + options.mapping.columns.keys.sorted()
                let lines = try JSONLinesReader(path: path, columns: header)
                reader = lines
                totalBytes = lines.totalBytes
            }
        } catch {
            throw NodeError(.importFailed, "cannot read \(path)", cause: error)
        }
        try checkAuthorship(header: header, mapping: options.mapping)
        let importer: RowImporter
        do {
            importer = try RowImporter(rules: rules, mapping: options.mapping, header: header, settings: normalizationSettings())
        } catch {
            throw NodeError(.importFailed, "\(path) does not fit the mapping", cause: error)
        }

        let channel = ChunkChannel<ImportChunk>(capacity: 4)
        // Written chunks go back to the reading thread to be freed there: memory freed on the
        // thread that allocated it avoids contention on the allocator's per-thread arenas.
        let recycled = RecycleBin<ImportChunk>()
        let source = Handoff(value: reader)
        let unit = self.unit
        let chunkSize = max(1, options.chunkSize)
        let classes = Dictionary(uniqueKeysWithValues: policy.attributes.map { (AttributeName(unchecked: $0.name), $0.shareClass) })
        let startClock = store.clock
        let now = self.now
        // Rows of erased records are refused (counted, nothing written); no cost when nothing was erased.
        let tombstones = try tombstoneSet()
        let erasedRows = Atomic<Int>(0)
        let producer = Thread {
            Self.produce(
                from: source.value, importer: importer, unit: unit, chunkSize: chunkSize, into: channel, recycled: recycled,
                startClock: startClock
            ) { write, clock, salts in
                if !tombstones.isEmpty, tombstones.request(erasing: write.record) != nil {
                    erasedRows.add(1, ordering: .relaxed)
                    return nil
                }
                return try PreparedWrite.prepare(write, hlc: clock.tick(now: now()), shareClass: { classes[$0] }, salts: &salts)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()

        var report = ImportReport()
        report.unmappedColumns = importer.unmappedColumns
        var bytesRead = 0
        defer { channel.cancel() }
        while let chunk = channel.receive() {
            if let failure = chunk.failure { throw failure }
            let commit: LocalCommit
            let writeStart = DispatchTime.now().uptimeNanoseconds
            defer { report.writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9 }
            do {
                commit = try store.commitPrepared(chunk.writes, policyVersion: UInt64(policy.version), key: signingKey, now: now())
            } catch {
                throw NodeError(.storage, "cannot store imported records; the first \(report.rowsRead) rows are stored", cause: error)
            }
            report.rowsRead += chunk.rowsRead
            report.readSeconds += chunk.readSeconds
            report.rowsRejected += chunk.rejectedRows
            report.recordsWritten += commit.recordsChanged
            report.recordsUnchanged += commit.recordsUnchanged + chunk.empty
            report.entriesWritten += commit.entriesWritten
            report.batchesSealed += commit.batches.count
            for error in chunk.rejected where report.errors.count < options.maxReportedErrors { report.errors.append(error) }
            bytesRead = chunk.bytesRead
            recycled.put(chunk)
            progress?(ImportProgress(rowsRead: report.rowsRead, bytesRead: bytesRead, totalBytes: totalBytes,
                                     recordsWritten: report.recordsWritten))
        }
        report.rowsOfErasedRecords = erasedRows.load(ordering: .relaxed)
        report.recordsUnchanged -= report.rowsOfErasedRecords
        do {
            try store.addImportTotals(ImportTotals(
                runs: 1, rowsRead: Int64(report.rowsRead), rowsRejected: Int64(report.rowsRejected),
                rowsOfErasedRecords: Int64(report.rowsOfErasedRecords), recordsWritten: Int64(report.recordsWritten),
                entriesWritten: Int64(report.entriesWritten)))
        } catch {
            throw NodeError(.storage, "the import is stored, but its figures could not be counted", cause: error)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Refuses, before anything is written, a file whose columns feed attributes this unit may not author.
    private func checkAuthorship(header: [String], mapping: ImportMapping) throws {
        for column in header where column != mapping.idColumn {
            let attribute = mapping.columns[column] ?? column
            guard policy.attribute(attribute) != nil else { continue }
            if case .denied(let reason) = policy.mayAuthor(unit: unit.rawValue, attribute: attribute) {
                throw NodeError(.notAllowed, "column \"\(column)\" cannot be imported: \(reason)")
            }
        }
    }

    /// The reading thread: reads rows, converts them, and sends chunks until the file ends.
    ///
    /// It prepares each record completely (clock reading, leaves, state), with a clock continued
    /// from the store's: the import is the node's only writer while it runs, and the store's clock
    /// advances to the last reading as each chunk commits.
    private static func produce(
        from reader: any SourceRowReader, importer: RowImporter, unit: UnitID, chunkSize: Int,
        into channel: ChunkChannel<ImportChunk>, recycled: RecycleBin<ImportChunk>, startClock: HybridClock,
        prepare: (PendingWrite, inout HybridClock, inout SaltSource) throws -> PreparedWrite?
    ) {
        struct Cancelled: Error {}
        var clock = startClock
        var salts = SaltSource(refill: chunkSize * 2)
        var chunk = ImportChunk()
        chunk.writes.reserveCapacity(chunkSize)
        var chunkStart = DispatchTime.now().uptimeNanoseconds
        func handle(_ outcome: RowOutcome) throws {
            chunk.rowsRead += 1
            switch outcome {
            case .record(let record):
                let write = PendingWrite(
                    record: RecordKey(unchecked: unit, localId: record.localId),
                    changes: record.values.map { item in
                        let value: Value = switch item.value {
                        case .single(let text): .text(text)
                        case .multiple(let items): .set(items)
                        }
                        return (attribute: AttributeName(unchecked: item.attribute), value: value)
                    })
                if let prepared = try prepare(write, &clock, &salts) {
                    chunk.writes.append(prepared)
                } else {
                    chunk.empty += 1
                }
            case .rejected(_, let errors):
                chunk.rejectedRows += 1
                chunk.rejected += errors
            }
            if chunk.rowsRead >= chunkSize {
                chunk.bytesRead = reader.progressBytes
                chunk.readSeconds = Double(DispatchTime.now().uptimeNanoseconds - chunkStart) / 1e9
                guard channel.send(chunk) else { throw Cancelled() }
                recycled.empty()
                chunkStart = DispatchTime.now().uptimeNanoseconds
                chunk = ImportChunk()
                chunk.writes.reserveCapacity(chunkSize)
            }
        }
        do {
            if let csv = reader as? CSVReader {
                _ = try importer.importRows(from: csv, handle)
            } else {
                while let row = try reader.nextRow() { try handle(importer.convert(row)) }
            }
            chunk.bytesRead = reader.progressBytes
            chunk.readSeconds = Double(DispatchTime.now().uptimeNanoseconds - chunkStart) / 1e9
            _ = channel.send(chunk)
        } catch is Cancelled {
            // The writing side stopped; it reports its own error.
        } catch {
            chunk.failure = NodeError(.importFailed, "reading stopped", cause: error)
            _ = channel.send(chunk)
        }
        channel.finish()
    }
}
