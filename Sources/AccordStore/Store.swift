public import AccordModel
import AccordLedger
import AccordCrypto
import AccordSQLite

/// A node's customer store in one SQLite file (WAL mode, `synchronous=FULL`): the entries it holds,
/// merged by record and author; every batch it holds, as received; the head of every stream (the
/// version vector); its own clock; and the batches it refused.
///
/// One writer: a `Store` is not `Sendable`; the node owns it and serializes access. Every change
/// is one transaction, so a batch, its entries and its stream head land together or not at all.
public final class Store {
    /// The schema version this build writes.
    public static var schemaVersion: Int { Schema.currentVersion }

    let database: Database
    /// The file the store lives in.
    public let path: String
    /// The unit this store belongs to, once initialized.
    public private(set) var unit: UnitID?
    /// The node's clock, continued from the last persisted reading.
    public internal(set) var clock: HybridClock

    let selectState: Statement
    let upsertState: Statement
    let insertStateIfNew: Statement
    let insertBatch: Statement
    let upsertStream: Statement
    let selectStream: Statement

    /// Opens (creating if needed) the store at `path` and runs pending migrations.
    /// - Throws: ``StoreError`` `.schemaTooNew` for a database from a newer build, `.database` when SQLite fails.
    public init(path: String) throws {
        self.path = path
        do {
            database = try Database(path: path)
            // secure_delete: deleted content is overwritten with zeros, so erased data leaves no bytes in
            // free pages or free space inside pages (erasure then truncates the WAL).
            try database.execute(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=8192; PRAGMA secure_delete=ON;")
            try Self.migrate(database, path: path)
            selectState = try database.prepare("SELECT state FROM record_state WHERE unit = ? AND local_id = ? AND author = ?")
            upsertState = try database.prepare(
                "INSERT INTO record_state(unit, local_id, author, state) VALUES(?, ?, ?, ?) "
                    + "ON CONFLICT(unit, local_id, author) DO UPDATE SET state = excluded.state")
            insertStateIfNew = try database.prepare(
                "INSERT INTO record_state(unit, local_id, author, state) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING")
            insertBatch = try database.prepare(
                "INSERT INTO batches(author, share_class, sequence, hash, leaf_count, body, stored_at) VALUES(?, ?, ?, ?, ?, ?, ?)")
            upsertStream = try database.prepare(
                "INSERT INTO streams(author, share_class, sequence, hash) VALUES(?, ?, ?, ?) "
                    + "ON CONFLICT(author, share_class) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash")
            selectStream = try database.prepare("SELECT sequence, hash FROM streams WHERE author = ? AND share_class = ?")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "cannot open the store at \(path)", cause: error)
        }
        clock = HybridClock()
        unit = try wrap("read the unit") { try metaText("unit").map(UnitID.init(unchecked:)) }
        let last = try wrap("read the clock") { try metaInteger("clock") } ?? 0
        clock = HybridClock(last: HLC(rawValue: UInt64(bitPattern: last)))
    }

    private static func migrate(_ database: Database, path: String) throws {
        let version = try database.userVersion
        guard version <= Schema.currentVersion else {
            throw StoreError(.schemaTooNew, "\(path) has schema version \(version); this build reads up to \(Schema.currentVersion)")
        }
        for target in version..<Schema.currentVersion {
            try database.transaction {
                try database.execute(Schema.migrations[target])
                try database.setUserVersion(target + 1)
            }
        }
    }

    /// Runs `body` in a transaction, turning SQLite failures into ``StoreError`` `.database`.
    func wrap<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "cannot \(what) in \(path)", cause: error)
        }
    }

    // MARK: Identity

    /// Assigns the store to a unit, once. Reopening with the same unit is fine.
    /// - Throws: ``StoreError`` `.wrongUnit` when the store belongs to another unit.
    public func initialize(unit: UnitID) throws {
        if let existing = self.unit {
            guard existing == unit else {
                throw StoreError(.wrongUnit, "\(path) belongs to unit \(existing), not \(unit)")
            }
            return
        }
        try wrap("initialize") {
            try database.transaction { try setMeta("unit", text: unit.rawValue) }
        }
        self.unit = unit
    }

    func requireUnit() throws -> UnitID {
        guard let unit else { throw StoreError(.notInitialized, "\(path) has no unit yet; run accord init") }
        return unit
    }

    // MARK: Meta

    func metaText(_ key: String) throws -> String? {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = ?")
        try statement.bind(key, at: 1)
        guard try statement.step() else { return nil }
        return String(decoding: statement.blob(at: 0), as: UTF8.self)
    }

    func metaInteger(_ key: String) throws -> Int64? {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = ?")
        try statement.bind(key, at: 1)
        guard try statement.step() else { return nil }
        var reader = BinaryReader(statement.blob(at: 0))
        return try reader.readInt64("meta value")
    }

    func setMeta(_ key: String, text: String) throws {
        let statement = try database.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)")
        try statement.bind(key, at: 1)
        try statement.bind(Array(text.utf8), at: 2)
        try statement.run()
    }

    func setMeta(_ key: String, integer: Int64) throws {
        var writer = BinaryWriter(capacity: 8)
        writer.writeInt64(integer)
        let statement = try database.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)")
        try statement.bind(key, at: 1)
        try statement.bind(writer.bytes, at: 2)
        try statement.run()
    }

    /// Writes the clock, never lowering the persisted reading (another process may have written
    /// a later one since this store read it).
    func persistClock() throws {
        catchUpClock()
        try setMeta("clock", integer: Int64(bitPattern: clock.last.rawValue))
    }

    /// Continues the clock from the persisted reading if another process advanced it.
    func catchUpClock() {
        if let persisted = try? metaInteger("clock"), UInt64(bitPattern: persisted) > clock.last.rawValue {
            clock = HybridClock(last: HLC(rawValue: UInt64(bitPattern: persisted)))
        }
    }

    /// SQLite's `data_version`: it changes when another connection (another process) commits, so a
    /// serving node can notice writes made by `accord` commands while it runs.
    public func dataVersion() throws -> Int {
        try wrap("read the data version") { Int(try database.pragma("data_version") ?? "0") ?? 0 }
    }

    /// Runs `body` with this connection's page cache raised to `mebibytes` (SQLite's default is 2 MiB),
    /// then restores it. For bulk writes in random key order (a full profile rebuild): with a small
    /// cache, writes that land all over large indexes evict and re-read the same pages many times
    /// (a rebuild of a million profiles: stopped after 24 min with 2 MiB, 204 s with 256 MiB).
    public func withPageCache<T>(mebibytes: Int, _ body: () throws -> T) throws -> T {
        let previous = try wrap("read the page cache size") { try database.pragma("cache_size") ?? "-2000" }
        try wrap("set the page cache size") { try database.execute("PRAGMA cache_size=-\(max(1, mebibytes) * 1024)") }
        defer { try? database.execute("PRAGMA cache_size=\(Int(previous) ?? -2000)") }
        return try body()
    }

    /// Advances the clock past a reading seen on a received batch, within the policy's bound.
    /// - Throws: ``AccordModel/ModelError`` `.clockSkew` when the reading is too far ahead.
    public func observe(_ remote: HLC, now: UInt64, maxFutureMillis: UInt64) throws {
        try clock.observe(remote, now: now, maxFutureMillis: maxFutureMillis)
    }

    // MARK: Record states

    /// The state `author` holds on `record`, if any.
    public func recordState(_ record: RecordKey, author: UnitID) throws -> RecordState? {
        try wrap("read a record") { try loadState(record, author: author) }
    }

    func loadState(_ record: RecordKey, author: UnitID) throws -> RecordState? {
        defer { selectState.reset() }
        try selectState.bind(record.unit.rawValue, at: 1)
        try selectState.bind(record.localId, at: 2)
        try selectState.bind(author.rawValue, at: 3)
        guard try selectState.step() else { return nil }
        do {
            return try EntryCodec.decodeRecordState(selectState.blob(at: 0))
        } catch {
            throw StoreError(.corrupt, "stored state of \(record) by \(author) does not decode", cause: error)
        }
    }

    func saveState(_ state: RecordState, _ record: RecordKey, author: UnitID) throws {
        try upsertState.bind(record.unit.rawValue, at: 1)
        try upsertState.bind(record.localId, at: 2)
        try upsertState.bind(author.rawValue, at: 3)
        try upsertState.bind(EntryCodec.encode(state), at: 4)
        try upsertState.run()
    }

    /// Every author's state on `record`.
    public func recordStates(_ record: RecordKey) throws -> [UnitID: RecordState] {
        try wrap("read a record") {
            let statement = try database.prepare("SELECT author, state FROM record_state WHERE unit = ? AND local_id = ?")
            try statement.bind(record.unit.rawValue, at: 1)
            try statement.bind(record.localId, at: 2)
            var result: [UnitID: RecordState] = [:]
            while try statement.step() {
                let author = UnitID(unchecked: statement.text(at: 0))
                do {
                    result[author] = try EntryCodec.decodeRecordState(statement.blob(at: 1))
                } catch {
                    throw StoreError(.corrupt, "stored state of \(record) by \(author) does not decode", cause: error)
                }
            }
            return result
        }
    }

    /// Record keys in key order, optionally only those owned by `unit`, after `after`, at most `limit`.
    public func recordKeys(unit: UnitID? = nil, after: RecordKey? = nil, limit: Int = 100) throws -> [RecordKey] {
        try wrap("list records") {
            var sql = "SELECT DISTINCT unit, local_id FROM record_state WHERE 1"
            if unit != nil { sql += " AND unit = :unit" }
            if after != nil { sql += " AND (unit, local_id) > (:afterUnit, :afterId)" }
            sql += " ORDER BY unit, local_id LIMIT :limit"
            let statement = try database.prepare(sql)
            var index: Int32 = 1
            if let unit {
                try statement.bind(unit.rawValue, at: index)
                index += 1
            }
            if let after {
                try statement.bind(after.unit.rawValue, at: index)
                try statement.bind(after.localId, at: index + 1)
                index += 2
            }
            try statement.bind(limit, at: index)
            return try statement.rows { RecordKey(unchecked: UnitID(unchecked: $0.text(at: 0)), localId: $0.text(at: 1)) }
        }
    }
}
