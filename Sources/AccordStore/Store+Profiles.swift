public import AccordModel
public import AccordLedger
import AccordSQLite

/// A consolidated profile as the store keeps it: the engine's output, already rendered (the store
/// knows nothing of identity resolution).
public struct StoredProfile: Sendable, Equatable {
    /// The profile id (`p` and 32 hexadecimal digits).
    public var id: String
    /// Its anchor record (the id derives from it; a removed id redirects to the profile holding it).
    public var anchor: RecordKey
    /// Its member records, in key order.
    public var members: [RecordKey]
    /// Its document (JSON: members, golden values with lineage), byte-for-byte the same on every node
    /// that holds the same entries under the same policy.
    public var body: [UInt8]
    /// Search keys: (kind, normalized value), such as `("email", "ana@example.com")`.
    public var keys: [SearchKey]

    /// Creates a stored profile.
    public init(id: String, anchor: RecordKey, members: [RecordKey], body: [UInt8], keys: [SearchKey]) {
        self.id = id
        self.anchor = anchor
        self.members = members
        self.body = body
        self.keys = keys
    }
}

/// A search key of a profile: a kind (`email`, `phone`, `name`) and a normalized value.
public struct SearchKey: Sendable, Hashable {
    /// The kind.
    public var kind: String
    /// The normalized value.
    public var value: String

    /// Creates a key.
    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// A pair in the steward review queue as stored.
public struct StoredReviewPair: Sendable, Equatable {
    /// The pair id (`m` and 32 hexadecimal digits).
    public var id: String
    /// The record that sorts first.
    public var first: RecordKey
    /// The other record.
    public var second: RecordKey
    /// Its score in bits.
    public var score: Double
    /// The profiles the two records are in.
    public var firstProfile: String
    /// See ``firstProfile``.
    public var secondProfile: String

    /// Creates a stored pair.
    public init(id: String, first: RecordKey, second: RecordKey, score: Double, firstProfile: String, secondProfile: String) {
        self.id = id
        self.first = first
        self.second = second
        self.score = score
        self.firstProfile = firstProfile
        self.secondProfile = secondProfile
    }
}

/// How far the stored profiles are up to date: the last stored batch they include (the `batches`
/// row id, which grows with every batch stored, local or received) and a fingerprint of the rules
/// they were computed under.
public struct ProfileWatermark: Sendable, Equatable {
    /// The last batch row included.
    public var batch: Int64
    /// The rules' fingerprint.
    public var fingerprint: String

    /// Creates a watermark.
    public init(batch: Int64, fingerprint: String) {
        self.batch = batch
        self.fingerprint = fingerprint
    }
}

extension Schema {
    /// Migration 6: consolidated profiles (derived data: rebuilt by `accord match run`), their
    /// members, search keys, the review queue, and redirects from ids that no longer exist (merged
    /// away) to their anchor record. Independent of migration 5.
    static let profilesMigration = """
        CREATE TABLE profiles(
            id TEXT PRIMARY KEY,
            anchor_unit TEXT NOT NULL,
            anchor_local_id TEXT NOT NULL,
            body BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE profile_redirects(
            id TEXT PRIMARY KEY,
            anchor_unit TEXT NOT NULL,
            anchor_local_id TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE profile_members(
            unit TEXT NOT NULL,
            local_id TEXT NOT NULL,
            profile TEXT NOT NULL,
            PRIMARY KEY(unit, local_id)
        ) WITHOUT ROWID;
        CREATE INDEX profile_members_by_profile ON profile_members(profile);
        CREATE TABLE profile_keys(
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            profile TEXT NOT NULL,
            PRIMARY KEY(kind, value, profile)
        ) WITHOUT ROWID;
        CREATE INDEX profile_keys_by_profile ON profile_keys(profile);

        CREATE TABLE review_pairs(
            id TEXT PRIMARY KEY,
            first TEXT NOT NULL,
            second TEXT NOT NULL,
            score REAL NOT NULL,
            first_profile TEXT NOT NULL,
            second_profile TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX review_pairs_by_first ON review_pairs(first_profile);
        CREATE INDEX review_pairs_by_second ON review_pairs(second_profile);
        """
}

extension Store {
    /// The row id of the last stored batch (0 when none).
    public func latestBatchRow() throws -> Int64 {
        try wrap("read the last batch") {
            let statement = try database.prepare("SELECT COALESCE(MAX(id), 0) FROM batches")
            _ = try statement.step()
            return statement.int64(at: 0)
        }
    }

    /// Stored batches after row `after`, in row order, at most `limit`, with their rows.
    /// - Throws: ``StoreError`` `.corrupt` when a stored batch no longer decodes.
    public func batchRows(after: Int64, limit: Int = 256) throws -> [(row: Int64, batch: Batch)] {
        try wrap("read batches") {
            let statement = try database.prepare("SELECT id, body FROM batches WHERE id > ? ORDER BY id LIMIT ?")
            try statement.bind(after, at: 1)
            try statement.bind(limit, at: 2)
            return try statement.rows { row in
                do {
                    return (row.int64(at: 0), try BatchCodec.decode(row.blob(at: 1)))
                } catch {
                    throw StoreError(.corrupt, "stored batch row \(row.int64(at: 0)) does not decode", cause: error)
                }
            }
        }
    }

    /// The stored profiles' watermark; `nil` before the first consolidation.
    public func profileWatermark() throws -> ProfileWatermark? {
        try wrap("read the profile watermark") {
            guard let batch = try metaInteger("profiles:watermark"), let fingerprint = try metaText("profiles:fingerprint") else { return nil }
            return ProfileWatermark(batch: batch, fingerprint: fingerprint)
        }
    }

    /// Writes a consolidation step in one transaction: removes `removed` profiles, replaces
    /// `changed` ones (members, body, keys), replaces the review pairs, moves the watermark.
    /// - Parameters:
    ///   - reviewScope: the profiles whose review pairs `reviewQueue` replaces (pairs with a record in
    ///     one of them); `nil`: `reviewQueue` is the whole queue.
    ///   - watermark: the new watermark; `nil` marks the profiles stale.
    ///   - replacingAll: first delete every stored profile (a full rebuild).
    @discardableResult
    public func saveProfiles(removed: [String], changed: [StoredProfile], reviewQueue: [StoredReviewPair], reviewScope: [String]? = nil,
                             watermark: ProfileWatermark?, replacingAll: Bool = false, unlessForgottenSince forgotten: Int64? = nil) throws -> Bool {
        try saveProfiles(removed: removed, changedIDs: changed.map(\.id), produce: { emit in for profile in changed { try emit(profile) } },
                         reviewQueue: reviewQueue, reviewScope: reviewScope, watermark: watermark, replacingAll: replacingAll,
                         unlessForgottenSince: forgotten)
    }

    /// ``saveProfiles(removed:changed:reviewQueue:reviewScope:watermark:replacingAll:)`` with the
    /// changed profiles produced one at a time inside the transaction (`produce` calls its argument
    /// for each), so a full rebuild never holds every rendered profile in memory.
    /// - Parameters:
    ///   - changedIDs: the ids `produce` replaces (not needed with `replacingAll`).
    ///   - watermark: the new watermark; `nil` marks the profiles stale (a rebuild written in parts).
    ///   - forgotten: ``profileForgetCount()`` when the profiles were computed: if an erasure or
    ///     retention forgot profiles since, they may hold values that are gone, so nothing is written.
    /// - Returns: `false` when nothing was written because profiles were forgotten since `forgotten`.
    @discardableResult
    public func saveProfiles(removed: [String], changedIDs: [String], produce: ((StoredProfile) throws -> Void) throws -> Void,
                             reviewQueue: [StoredReviewPair], reviewScope: [String]? = nil, watermark: ProfileWatermark?,
                             replacingAll: Bool = false, unlessForgottenSince forgotten: Int64? = nil) throws -> Bool {
        try wrap("save the profiles") {
            try database.transaction {
                // Checked inside the write transaction: no erasure can commit between this and the writes.
                if let forgotten, try profileForgetCount() != forgotten { return false }
                let redirect = "INSERT OR REPLACE INTO profile_redirects(id, anchor_unit, anchor_local_id) "
                    + "SELECT id, anchor_unit, anchor_local_id FROM profiles"
                if replacingAll {
                    try database.execute(redirect + "; DELETE FROM profiles; DELETE FROM profile_members; DELETE FROM profile_keys;")
                }
                let keepRedirect = try database.prepare(redirect + " WHERE id = ?")
                for id in removed {
                    try keepRedirect.bind(id, at: 1)
                    try keepRedirect.run()
                }
                let deleteProfile = try database.prepare("DELETE FROM profiles WHERE id = ?")
                let deleteMembers = try database.prepare("DELETE FROM profile_members WHERE profile = ?")
                let deleteKeys = try database.prepare("DELETE FROM profile_keys WHERE profile = ?")
                for id in removed + changedIDs {
                    for statement in [deleteProfile, deleteMembers, deleteKeys] {
                        try statement.bind(id, at: 1)
                        try statement.run()
                    }
                }
                let insertProfile = try database.prepare("INSERT INTO profiles(id, anchor_unit, anchor_local_id, body) VALUES(?, ?, ?, ?)")
                let insertMember = try database.prepare(
                    "INSERT INTO profile_members(unit, local_id, profile) VALUES(?, ?, ?) "
                        + "ON CONFLICT(unit, local_id) DO UPDATE SET profile = excluded.profile")
                let insertKey = try database.prepare("INSERT OR IGNORE INTO profile_keys(kind, value, profile) VALUES(?, ?, ?)")
                // An id that exists again is no redirect.
                let unredirect = try database.prepare("DELETE FROM profile_redirects WHERE id = ?")
                try produce { profile in
                    try unredirect.bind(profile.id, at: 1)
                    try unredirect.run()
                    try insertProfile.bind(profile.id, at: 1)
                    try insertProfile.bind(profile.anchor.unit.rawValue, at: 2)
                    try insertProfile.bind(profile.anchor.localId, at: 3)
                    try insertProfile.bind(profile.body, at: 4)
                    try insertProfile.run()
                    for member in profile.members {
                        try insertMember.bind(member.unit.rawValue, at: 1)
                        try insertMember.bind(member.localId, at: 2)
                        try insertMember.bind(profile.id, at: 3)
                        try insertMember.run()
                    }
                    for key in profile.keys {
                        try insertKey.bind(key.kind, at: 1)
                        try insertKey.bind(key.value, at: 2)
                        try insertKey.bind(profile.id, at: 3)
                        try insertKey.run()
                    }
                }
                if let reviewScope {
                    let deleteFirst = try database.prepare("DELETE FROM review_pairs WHERE first_profile = ?")
                    let deleteSecond = try database.prepare("DELETE FROM review_pairs WHERE second_profile = ?")
                    for id in reviewScope {
                        for statement in [deleteFirst, deleteSecond] {
                            try statement.bind(id, at: 1)
                            try statement.run()
                        }
                    }
                } else {
                    try database.execute("DELETE FROM review_pairs")
                }
                let insertPair = try database.prepare(
                    "INSERT OR REPLACE INTO review_pairs(id, first, second, score, first_profile, second_profile) VALUES(?, ?, ?, ?, ?, ?)")
                for pair in reviewQueue {
                    try insertPair.bind(pair.id, at: 1)
                    try insertPair.bind(pair.first.description, at: 2)
                    try insertPair.bind(pair.second.description, at: 3)
                    try insertPair.bind(pair.score, at: 4)
                    try insertPair.bind(pair.firstProfile, at: 5)
                    try insertPair.bind(pair.secondProfile, at: 6)
                    try insertPair.run()
                }
                if let watermark {
                    try setMeta("profiles:watermark", integer: watermark.batch)
                    try setMeta("profiles:fingerprint", text: watermark.fingerprint)
                } else {
                    try setMeta("profiles:fingerprint", text: "stale")
                }
                return true
            }
        }
    }

    /// How many times ``forgetProfiles(holding:)`` ran on this store (a consolidation computed
    /// before a later count must not be written: ``saveProfiles(removed:changedIDs:produce:reviewQueue:reviewScope:watermark:replacingAll:unlessForgottenSince:)``).
    /// - Throws: ``StoreError`` `.database`.
    public func profileForgetCount() throws -> Int64 {
        try wrap("read the profile forget count") { try metaInteger("profiles:forgotten") ?? 0 }
    }

    /// Forgets the stored profiles holding any of `records` (an erasure or retention: derived copies
    /// of the values go at once) and marks the profiles stale, so the next consolidation step
    /// recomputes them all.
    public func forgetProfiles(holding records: [RecordKey]) throws {
        try wrap("forget profiles") {
            try database.transaction {
                let find = try database.prepare("SELECT profile FROM profile_members WHERE unit = ? AND local_id = ?")
                var ids = Set<String>()
                let unredirect = try database.prepare("DELETE FROM profile_redirects WHERE anchor_unit = ? AND anchor_local_id = ?")
                for record in records {
                    try find.bind(record.unit.rawValue, at: 1)
                    try find.bind(record.localId, at: 2)
                    ids.formUnion(try find.rows { $0.text(at: 0) })
                    try unredirect.bind(record.unit.rawValue, at: 1)
                    try unredirect.bind(record.localId, at: 2)
                    try unredirect.run()
                }
                try setMeta("profiles:fingerprint", text: "stale")
                try setMeta("profiles:forgotten", integer: (try metaInteger("profiles:forgotten") ?? 0) + 1)
                for id in ids.sorted() {
                    for sql in ["DELETE FROM profiles WHERE id = ?", "DELETE FROM profile_members WHERE profile = ?",
                                "DELETE FROM profile_keys WHERE profile = ?",
                                "DELETE FROM review_pairs WHERE first_profile = ?1 OR second_profile = ?1"] {
                        let statement = try database.prepare(sql)
                        try statement.bind(id, at: 1)
                        try statement.run()
                    }
                }
            }
        }
    }

    /// A stored profile's body.
    public func profileBody(_ id: String) throws -> [UInt8]? {
        try wrap("read a profile") {
            let statement = try database.prepare("SELECT body FROM profiles WHERE id = ?")
            try statement.bind(id, at: 1)
            return try statement.step() ? statement.blob(at: 0) : nil
        }
    }

    /// The anchor record a removed profile id redirects to (the profile holding it now is the one
    /// the id merged into), if any.
    public func profileRedirect(_ id: String) throws -> RecordKey? {
        try wrap("read a profile redirect") {
            let statement = try database.prepare("SELECT anchor_unit, anchor_local_id FROM profile_redirects WHERE id = ?")
            try statement.bind(id, at: 1)
            return try statement.step() ? RecordKey(unchecked: UnitID(unchecked: statement.text(at: 0)), localId: statement.text(at: 1)) : nil
        }
    }

    /// The id of the stored profile a record belongs to.
    public func profileID(of record: RecordKey) throws -> String? {
        try wrap("read a profile member") {
            let statement = try database.prepare("SELECT profile FROM profile_members WHERE unit = ? AND local_id = ?")
            try statement.bind(record.unit.rawValue, at: 1)
            try statement.bind(record.localId, at: 2)
            return try statement.step() ? statement.text(at: 0) : nil
        }
    }

    /// Every stored profile's id, in id order (for benchmarks and tools; a million ids are ~40 MB).
    /// - Throws: ``StoreError`` `.database`.
    public func allProfileIDs() throws -> [String] {
        try wrap("list the profiles") { try database.prepare("SELECT id FROM profiles ORDER BY id").rows { $0.text(at: 0) } }
    }

    /// The ids of the stored profiles with a search key, in id order, at most `limit`.
    public func profileIDs(with key: SearchKey, limit: Int = 100) throws -> [String] {
        try wrap("search the profiles") {
            let statement = try database.prepare("SELECT profile FROM profile_keys WHERE kind = ? AND value = ? ORDER BY profile LIMIT ?")
            try statement.bind(key.kind, at: 1)
            try statement.bind(key.value, at: 2)
            try statement.bind(limit, at: 3)
            return try statement.rows { $0.text(at: 0) }
        }
    }

    /// Every stored profile's id and body, in id order (for comparing nodes).
    public func allProfileBodies() throws -> [(id: String, body: [UInt8])] {
        try wrap("read the profiles") {
            try database.prepare("SELECT id, body FROM profiles ORDER BY id").rows { ($0.text(at: 0), $0.blob(at: 1)) }
        }
    }

    /// The stored review queue, best score first (ties by id), at most `limit`.
    public func reviewQueue(limit: Int = 100) throws -> [StoredReviewPair] {
        try wrap("read the review queue") {
            let statement = try database.prepare(
                "SELECT id, first, second, score, first_profile, second_profile FROM review_pairs ORDER BY score DESC, id LIMIT ?")
            try statement.bind(limit, at: 1)
            return try statement.rows(Self.reviewPair)
        }
    }

    /// The stored review pairs with one record in the profile, best score first.
    public func reviewPairs(ofProfile id: String) throws -> [StoredReviewPair] {
        try wrap("read the review queue") {
            let statement = try database.prepare(
                "SELECT id, first, second, score, first_profile, second_profile FROM review_pairs "
                    + "WHERE first_profile = ?1 OR second_profile = ?1 ORDER BY score DESC, id")
            try statement.bind(id, at: 1)
            return try statement.rows(Self.reviewPair)
        }
    }

    /// One stored review pair.
    public func reviewPair(_ id: String) throws -> StoredReviewPair? {
        try wrap("read a review pair") {
            let statement = try database.prepare("SELECT id, first, second, score, first_profile, second_profile FROM review_pairs WHERE id = ?")
            try statement.bind(id, at: 1)
            return try statement.rows(Self.reviewPair).first
        }
    }

    private static func reviewPair(_ row: Statement) -> StoredReviewPair {
        func key(_ text: String) -> RecordKey {
            let slash = text.firstIndex(of: "/") ?? text.endIndex
            let rest = slash < text.endIndex ? String(text[text.index(after: slash)...]) : ""
            return RecordKey(unchecked: UnitID(unchecked: String(text[..<slash])), localId: rest)
        }
        return StoredReviewPair(id: row.text(at: 0), first: key(row.text(at: 1)), second: key(row.text(at: 2)), score: row.double(at: 3),
                                firstProfile: row.text(at: 4), secondProfile: row.text(at: 5))
    }
}
