import AccordSQLite

/// A saved segment: a name, its filter, and the unit, channel and purpose it is evaluated for.
public struct SavedSegment: Sendable, Equatable {
    /// The segment's name (an identifier, unique on the node).
    public var name: String
    /// The filter, in the segment language.
    public var expression: String
    /// The asking unit.
    public var unit: String
    /// The channel the audience is for.
    public var channel: String
    /// The purpose.
    public var purpose: String
    /// When it was saved (milliseconds since 1970) and by whom.
    public var savedAtMillis: Int64
    /// The operator who saved it.
    public var savedBy: String

    /// Creates a saved segment.
    public init(name: String, expression: String, unit: String, channel: String, purpose: String, savedAtMillis: Int64, savedBy: String) {
        self.name = name
        self.expression = expression
        self.unit = unit
        self.channel = channel
        self.purpose = purpose
        self.savedAtMillis = savedAtMillis
        self.savedBy = savedBy
    }
}

/// One evaluation of a saved segment: its size and what consent did to it (figures only, no ids).
public struct SegmentFigure: Sendable, Equatable {
    /// The segment's name.
    public var segment: String
    /// When it was evaluated, milliseconds since 1970.
    public var atMillis: Int64
    /// Profiles matching the filter before consent.
    public var matched: Int
    /// The audience: matching, contact allowed and reachable.
    public var audience: Int
    /// Matching profiles left out, by reason (``ExclusionReason`` raw values).
    public var excluded: [String: Int]
    /// Left out by an opt-out on the segment's channel while allowed on another ("cross-opt").
    public var crossOpt: Int
    /// In the audience with a frequency limit ("opt-down").
    public var optDown: Int

    /// Creates a figure.
    public init(segment: String, atMillis: Int64, matched: Int, audience: Int, excluded: [String: Int], crossOpt: Int, optDown: Int) {
        self.segment = segment
        self.atMillis = atMillis
        self.matched = matched
        self.audience = audience
        self.excluded = excluded
        self.crossOpt = crossOpt
        self.optDown = optDown
    }
}

extension Store {
    /// Migration 7: saved segments and their sizes over time (additive: two new tables).
    static let segmentsMigration = """
        CREATE TABLE segments(
            name TEXT PRIMARY KEY,
            expression TEXT NOT NULL,
            unit TEXT NOT NULL,
            channel TEXT NOT NULL,
            purpose TEXT NOT NULL,
            saved_at INTEGER NOT NULL,
            saved_by TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE segment_figures(
            id INTEGER PRIMARY KEY,
            segment TEXT NOT NULL,
            at INTEGER NOT NULL,
            matched INTEGER NOT NULL,
            audience INTEGER NOT NULL,
            opt_out INTEGER NOT NULL,
            do_not_contact INTEGER NOT NULL,
            expired_consent INTEGER NOT NULL,
            no_consent INTEGER NOT NULL,
            no_contact_point INTEGER NOT NULL,
            cross_opt INTEGER NOT NULL,
            opt_down INTEGER NOT NULL
        );
        CREATE INDEX segment_figures_by_segment ON segment_figures(segment, at);
        """

    /// Saves a segment, replacing one of the same name (its figures are kept).
    public func saveSegment(_ segment: SavedSegment) throws {
        try wrap("save a segment") {
            let statement = try database.prepare(
                "INSERT OR REPLACE INTO segments(name, expression, unit, channel, purpose, saved_at, saved_by) VALUES(?, ?, ?, ?, ?, ?, ?)")
            try statement.bind(segment.name, at: 1)
            try statement.bind(segment.expression, at: 2)
            try statement.bind(segment.unit, at: 3)
            try statement.bind(segment.channel, at: 4)
            try statement.bind(segment.purpose, at: 5)
            try statement.bind(segment.savedAtMillis, at: 6)
            try statement.bind(segment.savedBy, at: 7)
            try statement.run()
        }
    }

    /// Removes a saved segment and its figures; whether it existed.
    @discardableResult
    public func deleteSegment(_ name: String) throws -> Bool {
        try wrap("delete a segment") {
            var existed = false
            try database.transaction {
                let statement = try database.prepare("DELETE FROM segments WHERE name = ?")
                try statement.bind(name, at: 1)
                try statement.run()
                existed = database.changes > 0
                let figures = try database.prepare("DELETE FROM segment_figures WHERE segment = ?")
                try figures.bind(name, at: 1)
                try figures.run()
            }
            return existed
        }
    }

    /// The saved segments, by name.
    public func savedSegments() throws -> [SavedSegment] {
        try wrap("read the saved segments") {
            let statement = try database.prepare("SELECT name, expression, unit, channel, purpose, saved_at, saved_by FROM segments ORDER BY name")
            return try statement.rows { row in
                SavedSegment(name: row.text(at: 0), expression: row.text(at: 1), unit: row.text(at: 2), channel: row.text(at: 3),
                             purpose: row.text(at: 4), savedAtMillis: row.int64(at: 5), savedBy: row.text(at: 6))
            }
        }
    }

    /// Appends an evaluation of a saved segment.
    public func appendSegmentFigure(_ figure: SegmentFigure) throws {
        try wrap("record a segment figure") {
            let statement = try database.prepare("""
                INSERT INTO segment_figures(segment, at, matched, audience, opt_out, do_not_contact, expired_consent, no_consent,
                    no_contact_point, cross_opt, opt_down) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try statement.bind(figure.segment, at: 1)
            try statement.bind(figure.atMillis, at: 2)
            try statement.bind(figure.matched, at: 3)
            try statement.bind(figure.audience, at: 4)
            for (index, reason) in Self.exclusionColumns.enumerated() { try statement.bind(figure.excluded[reason] ?? 0, at: Int32(5 + index)) }
            try statement.bind(figure.crossOpt, at: 10)
            try statement.bind(figure.optDown, at: 11)
            try statement.run()
        }
    }

    /// A segment's figures, oldest first, the latest `limit`.
    public func segmentFigures(_ segment: String, limit: Int = 500) throws -> [SegmentFigure] {
        try wrap("read segment figures") {
            let statement = try database.prepare("""
                SELECT segment, at, matched, audience, opt_out, do_not_contact, expired_consent, no_consent, no_contact_point, cross_opt, opt_down
                FROM (SELECT * FROM segment_figures WHERE segment = ? ORDER BY at DESC, id DESC LIMIT ?) ORDER BY at, id
                """)
            try statement.bind(segment, at: 1)
            try statement.bind(limit, at: 2)
            return try statement.rows { row in
                var excluded: [String: Int] = [:]
                for (index, reason) in Self.exclusionColumns.enumerated() { excluded[reason] = row.int(at: Int32(4 + index)) }
                return SegmentFigure(segment: row.text(at: 0), atMillis: row.int64(at: 1), matched: row.int(at: 2), audience: row.int(at: 3),
                                     excluded: excluded, crossOpt: row.int(at: 9), optDown: row.int(at: 10))
            }
        }
    }

    /// The exclusion reasons in column order (`opt_out` ... `no_contact_point`).
    static let exclusionColumns = ["opt-out", "do-not-contact", "expired-consent", "no-consent", "no-contact-point"]
}
