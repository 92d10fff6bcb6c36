import AccordSQLite

/// Per author, what the store holds of its batches: for the dashboard's freshness and `/metrics`.
public struct AuthorBatches: Equatable, Sendable {
    /// The authoring unit.
    public var author: String
    /// Batches of the author held.
    public var batches: Int
    /// Leaves in them.
    public var leaves: Int
    /// When the newest of them was stored here, milliseconds since 1970.
    public var lastStoredAtMillis: Int64
}

extension Store {
    /// Per author, the batches held and when the newest was stored, in author order.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func batchesByAuthor() throws -> [AuthorBatches] {
        try wrap("count the batches by author") {
            let statement = try database.prepare(
                "SELECT author, COUNT(*), COALESCE(SUM(leaf_count), 0), MAX(stored_at) FROM batches GROUP BY author ORDER BY author")
            return try statement.rows { row in
                AuthorBatches(author: row.text(at: 0), batches: row.int(at: 1), leaves: row.int(at: 2), lastStoredAtMillis: row.int64(at: 3))
            }
        }
    }

    /// Per owning unit, how many records the store holds (any author).
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func recordCountsByOwner() throws -> [String: Int] {
        try wrap("count the records by owner") {
            let statement = try database.prepare("SELECT unit, COUNT(DISTINCT local_id) FROM record_state GROUP BY unit")
            return Dictionary(try statement.rows { (row: Statement) in (row.text(at: 0), row.int(at: 1)) }, uniquingKeysWith: +)
        }
    }

    /// The reasons of refused batches with their author (`nil` when the batch did not decode), at
    /// most `limit` of the newest.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func refusalReasons(limit: Int = 100_000) throws -> [(author: String?, reason: String)] {
        try wrap("read the refusal reasons") {
            let statement = try database.prepare("SELECT author, reason FROM rejected_batches ORDER BY id DESC LIMIT ?")
            try statement.bind(limit, at: 1)
            return try statement.rows { row in (author: row.optionalText(at: 0), reason: row.text(at: 1)) }
        }
    }
}

/// What the store holds of consolidated profiles, for the dashboard.
public struct ConsolidationSummary: Equatable, Sendable {
    /// Per unit: its records in profiles, and those in a profile that also holds another unit's records.
    public struct UnitLinks: Equatable, Sendable {
        /// The unit.
        public var unit: String
        /// Its records that belong to a profile.
        public var records: Int
        /// Of those, records whose profile holds records of another unit too.
        public var linked: Int

        /// Creates the figures of one unit.
        public init(unit: String, records: Int, linked: Int) {
            self.unit = unit
            self.records = records
            self.linked = linked
        }
    }

    /// Profiles held.
    public var profiles: Int
    /// Records in profiles.
    public var members: Int
    /// Profile size (records) to how many profiles have it, ascending.
    public var sizes: [(records: Int, profiles: Int)]
    /// Per unit, in unit order.
    public var units: [UnitLinks]
    /// Candidate pairs waiting for a steward.
    public var reviewBacklog: Int

    /// Compares every field.
    public static func == (lhs: ConsolidationSummary, rhs: ConsolidationSummary) -> Bool {
        lhs.profiles == rhs.profiles && lhs.members == rhs.members && lhs.units == rhs.units && lhs.reviewBacklog == rhs.reviewBacklog
            && lhs.sizes.map(\.records) == rhs.sizes.map(\.records) && lhs.sizes.map(\.profiles) == rhs.sizes.map(\.profiles)
    }
}

extension Store {
    /// The consolidated profiles' figures, or `nil` when this store has no profile tables
    /// (`profiles`, `profile_members`, `review_pairs`: a build without persisted profiles).
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func consolidationSummary() throws -> ConsolidationSummary? {
        try wrap("summarize the profiles") {
            func count(_ sql: String) throws -> Int {
                let statement = try database.prepare(sql)
                _ = try statement.step()
                return statement.int(at: 0)
            }
            guard try count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('profiles', 'profile_members', 'review_pairs')") == 3
            else { return nil }
            let sizes = try database.prepare(
                "SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n FROM profile_members GROUP BY profile) GROUP BY n ORDER BY n"
            ).rows { (records: $0.int(at: 0), profiles: $0.int(at: 1)) }
            let units = try database.prepare("""
                SELECT m.unit, COUNT(*), COALESCE(SUM(s.units > 1), 0) FROM profile_members m
                JOIN (SELECT profile, COUNT(DISTINCT unit) AS units FROM profile_members GROUP BY profile) s ON s.profile = m.profile
                GROUP BY m.unit ORDER BY m.unit
                """).rows { ConsolidationSummary.UnitLinks(unit: $0.text(at: 0), records: $0.int(at: 1), linked: $0.int(at: 2)) }
            return ConsolidationSummary(
                profiles: try count("SELECT COUNT(*) FROM profiles"), members: try count("SELECT COUNT(*) FROM profile_members"),
                sizes: sizes, units: units, reviewBacklog: try count("SELECT COUNT(*) FROM review_pairs"))
        }
    }
}

/// How many records of one unit one consolidated profile holds.
public struct ProfileUnitCount: Equatable, Sendable {
    /// The profile id.
    public var profile: String
    /// The unit.
    public var unit: String
    /// Its records in the profile (at least 1).
    public var records: Int

    /// Creates a count.
    public init(profile: String, unit: String, records: Int) {
        self.profile = profile
        self.unit = unit
        self.records = records
    }
}

extension Store {
    /// Per profile and unit, the unit's records in the profile (in profile, then unit order), or
    /// `nil` when this store has no profile tables; for the duplicate and join figures.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func profileUnitCounts() throws -> [ProfileUnitCount]? {
        try wrap("count the profiles' records by unit") {
            let tables = try database.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'profile_members'")
            _ = try tables.step()
            guard tables.int(at: 0) == 1 else { return nil }
            return try database.prepare("SELECT profile, unit, COUNT(*) FROM profile_members GROUP BY profile, unit ORDER BY profile, unit")
                .rows { ProfileUnitCount(profile: $0.text(at: 0), unit: $0.text(at: 1), records: $0.int(at: 2)) }
        }
    }
}
