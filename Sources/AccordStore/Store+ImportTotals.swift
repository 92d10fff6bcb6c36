import AccordSQLite

/// What every finished import on a node added up to (kept in the store, so imports run by
/// `accord import` in another process count too): for `/metrics`.
public struct ImportTotals: Sendable, Equatable {
    /// Imports that ran to their end.
    public var runs: Int64 = 0
    /// Data rows read.
    public var rowsRead: Int64 = 0
    /// Rows refused whole because a field was invalid.
    public var rowsRejected: Int64 = 0
    /// Rows refused because their record was erased.
    public var rowsOfErasedRecords: Int64 = 0
    /// Records that got new entries.
    public var recordsWritten: Int64 = 0
    /// Entries written.
    public var entriesWritten: Int64 = 0

    /// Totals at zero (or one import's figures, to add with ``Store/addImportTotals(_:)``).
    public init(runs: Int64 = 0, rowsRead: Int64 = 0, rowsRejected: Int64 = 0, rowsOfErasedRecords: Int64 = 0,
                recordsWritten: Int64 = 0, entriesWritten: Int64 = 0) {
        self.runs = runs
        self.rowsRead = rowsRead
        self.rowsRejected = rowsRejected
        self.rowsOfErasedRecords = rowsOfErasedRecords
        self.recordsWritten = recordsWritten
        self.entriesWritten = entriesWritten
    }

    /// The figures with their meta keys, in a fixed order.
    fileprivate var fields: [(key: String, value: Int64)] {
        [("imports:runs", runs), ("imports:rows-read", rowsRead), ("imports:rows-rejected", rowsRejected),
         ("imports:rows-of-erased-records", rowsOfErasedRecords), ("imports:records-written", recordsWritten),
         ("imports:entries-written", entriesWritten)]
    }
}

extension Store {
    /// Adds one import's figures to the node's totals, in one transaction.
    /// - Throws: ``StoreError`` `.database`.
    public func addImportTotals(_ added: ImportTotals) throws {
        try wrap("count the import") {
            try database.transaction {
                for field in added.fields {
                    try setMeta(field.key, integer: (try metaInteger(field.key) ?? 0) + field.value)
                }
            }
        }
    }

    /// The totals of every finished import (zero before the first).
    /// - Throws: ``StoreError`` `.database`, `.corrupt` for an unreadable value.
    public func importTotals() throws -> ImportTotals {
        try wrap("read the import totals") {
            func read(_ key: String) throws -> Int64 { try metaInteger(key) ?? 0 }
            return ImportTotals(
                runs: try read("imports:runs"), rowsRead: try read("imports:rows-read"), rowsRejected: try read("imports:rows-rejected"),
                rowsOfErasedRecords: try read("imports:rows-of-erased-records"), recordsWritten: try read("imports:records-written"),
                entriesWritten: try read("imports:entries-written"))
        }
    }
}
