public import AccordModel
public import AccordLedger
import AccordSQLite
import Foundation

/// What a backup file holds, read without changing it.
public struct BackupInfo: Sendable, Equatable {
    /// The unit the backed-up store belongs to (`nil`: a store never initialized).
    public var unit: UnitID?
    /// The schema version the backup was written with.
    public var schemaVersion: Int
    /// When the backup was taken, milliseconds since 1970 (`nil`: not made by `accord backup`).
    public var takenAtMillis: UInt64?
    /// The heads of the unit's own streams in the backup.
    public var ownHeads: [StreamHead]
    /// How many streams (own and received) the backup holds.
    public var streams: Int
    /// The backup file's size in bytes.
    public var bytes: Int64
}

/// A restored store waiting to recover its own streams from peers (see ``Store/recovery()``).
public struct RecoveryMark: Sendable, Equatable {
    /// When the store was restored, milliseconds since 1970.
    public var restoredAtMillis: UInt64
    /// When the backup it was restored from was taken (0: unknown).
    public var backupTakenAtMillis: UInt64

    /// Creates a mark.
    public init(restoredAtMillis: UInt64, backupTakenAtMillis: UInt64) {
        self.restoredAtMillis = restoredAtMillis
        self.backupTakenAtMillis = backupTakenAtMillis
    }
}

extension Store {
    private static let backupTakenKey = "backup:taken-at"
    private static let restoredKey = "recovery:restored-at"
    private static let restoredFromKey = "recovery:backup-taken-at"

    /// Copies the store into `path` with SQLite's online backup API, in one step, so the copy is
    /// the state of one committed transaction while other connections keep writing. The copy is
    /// a single file (rollback journal, not WAL) with mode 0600, written to a temporary name
    /// beside `path` and renamed into place once complete and synced; an existing file at `path`
    /// is refused.
    /// - Parameters:
    ///   - path: the backup file to create.
    ///   - now: the wall clock, recorded in the backup as the time it was taken.
    /// - Returns: what the backup holds.
    /// - Throws: ``StoreError`` `.database` when the file exists or SQLite fails (the message names the path).
    @discardableResult
    public func backup(to path: String, now: UInt64) throws -> BackupInfo {
        let files = FileManager.default
        guard !files.fileExists(atPath: path) else {
            throw StoreError(.database, "cannot back up to \(path): the file exists (choose a new name)")
        }
        let partial = path + ".partial"
        try? files.removeItem(atPath: partial)
        guard files.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError(.database, "cannot back up to \(path): cannot create \(partial)")
        }
        do {
            try database.backup(toPath: partial, pagesPerStep: -1)
            let copy = try Database(path: partial, mode: .readWrite)
            try copy.execute("PRAGMA journal_mode=DELETE")
            var writer = BinaryWriter(capacity: 8)
            writer.writeInt64(Int64(bitPattern: now))
            let statement = try copy.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)")
            try statement.bind(Self.backupTakenKey, at: 1)
            try statement.bind(writer.bytes, at: 2)
            try statement.run()
            try copy.execute("PRAGMA wal_checkpoint")
        } catch {
            try? files.removeItem(atPath: partial)
            throw StoreError(.database, "cannot back up \(self.path) to \(path)", cause: error)
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? files.removeItem(atPath: partial)
            throw StoreError(.database, "cannot back up to \(path): cannot rename \(partial) into place (\(reason))")
        }
        return try Self.inspectBackup(at: path)
    }

    /// Reads what a backup file holds, opening it read-only: its unit, schema version, when it
    /// was taken and the unit's own stream heads. Checks SQLite's integrity first.
    /// - Throws: ``StoreError`` `.corrupt` when the file is not a sound SQLite database,
    ///   `.database` when it cannot be read.
    public static func inspectBackup(at path: String) throws -> BackupInfo {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.database, "there is no backup file at \(path)")
        }
        let database: Database
        do {
            database = try Database(path: path, mode: .readOnly)
        } catch {
            throw StoreError(.corrupt, "\(path) is not a readable SQLite database", cause: error)
        }
        do {
            let integrity = try database.pragma("integrity_check") ?? "no answer"
            guard integrity == "ok" else {
                throw StoreError(.corrupt, "\(path) fails SQLite's integrity check: \(integrity.prefix(200))")
            }
            let version = try database.userVersion
            func meta(_ key: String) throws -> [UInt8]? {
                let statement = try database.prepare("SELECT value FROM meta WHERE key = ?")
                try statement.bind(key, at: 1)
                guard try statement.step() else { return nil }
                return statement.blob(at: 0)
            }
            let unit = try meta("unit").map { UnitID(unchecked: String(decoding: $0, as: UTF8.self)) }
            let taken = try meta(backupTakenKey).flatMap { bytes -> UInt64? in
                var reader = BinaryReader(bytes)
                return (try? reader.readInt64("backup time")).map { UInt64(bitPattern: $0) }
            }
            let heads = try streamHeads(in: database)
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64) ?? 0
            return BackupInfo(unit: unit, schemaVersion: version, takenAtMillis: taken,
                              ownHeads: heads.filter { $0.stream.author == unit }, streams: heads.count, bytes: size)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.corrupt, "\(path) is not an Accord store", cause: error)
        }
    }

    /// Marks a store just restored from a backup: until ``finishRecovery()``, the store refuses
    /// local writes (they would reuse sequence numbers the unit may already have used after the
    /// backup was taken), while batches from peers, its own among them, are applied as usual.
    /// - Parameters:
    ///   - now: when the store was restored.
    ///   - backupTakenAtMillis: when the backup was taken (0 when unknown).
    public func beginRecovery(now: UInt64, backupTakenAtMillis: UInt64) throws {
        try wrap("mark the store restored") {
            try database.transaction {
                try setMeta(Self.restoredKey, integer: Int64(bitPattern: now))
                try setMeta(Self.restoredFromKey, integer: Int64(bitPattern: backupTakenAtMillis))
            }
        }
    }

    /// The recovery mark of a restored store that has not recovered its own streams yet.
    public func recovery() throws -> RecoveryMark? {
        try wrap("read the recovery mark") {
            guard let restored = try metaInteger(Self.restoredKey) else { return nil }
            return RecoveryMark(restoredAtMillis: UInt64(bitPattern: restored),
                                backupTakenAtMillis: UInt64(bitPattern: try metaInteger(Self.restoredFromKey) ?? 0))
        }
    }

    /// Ends recovery: local writes are accepted again, continuing the own streams from their heads.
    public func finishRecovery() throws {
        try wrap("end recovery") {
            try database.transaction {
                for key in [Self.restoredKey, Self.restoredFromKey] {
                    let statement = try database.prepare("DELETE FROM meta WHERE key = ?")
                    try statement.bind(key, at: 1)
                    try statement.run()
                }
            }
        }
    }

    /// Refuses a local write while the store recovers its own streams after a restore.
    /// - Throws: ``StoreError`` `.recovering`.
    func requireRecovered() throws {
        guard try metaInteger(Self.restoredKey) != nil else { return }
        throw StoreError(.recovering, "\(path) was restored from a backup and takes no local writes until it has recovered "
            + "its own streams from its peers (run accord serve; accord status shows the progress)")
    }
}
