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
    /// The previous recording of the segment, which ``moves`` count from; `nil` for the first
    /// recording (and for figures recorded before migration 8).
    public var sinceMillis: Int64?
    /// Consent movements of the matching people between ``sinceMillis`` and ``atMillis``.
    public var moves: [SegmentMove]

    /// Creates a figure.
    public init(segment: String, atMillis: Int64, matched: Int, audience: Int, excluded: [String: Int], crossOpt: Int, optDown: Int,
                sinceMillis: Int64? = nil, moves: [SegmentMove] = []) {
        self.segment = segment
        self.atMillis = atMillis
        self.matched = matched
        self.audience = audience
        self.excluded = excluded
        self.crossOpt = crossOpt
        self.optDown = optDown
        self.sinceMillis = sinceMillis
        self.moves = moves
    }
}

/// How many people of a segment made one kind of consent movement between two recordings, from
/// one channel to another (the same channel for an opt-down). Figures only, no ids.
public struct SegmentMove: Sendable, Hashable, Comparable {
    /// The kind: `cross-opt-reachable`, `cross-opt-opted-in` or `opt-down` (``kinds``).
    public var kind: String
    /// The channel the decision was about (opted out of, or limited).
    public var from: String
    /// The channel the person is reachable on (the same as ``from`` for an opt-down).
    public var to: String
    /// How many people.
    public var people: Int

    /// The kinds, in display order.
    public static let kinds = ["cross-opt-reachable", "cross-opt-opted-in", "opt-down"]

    /// Creates a movement count.
    public init(kind: String, from: String, to: String, people: Int) {
        self.kind = kind
        self.from = from
        self.to = to
        self.people = people
    }

    /// By kind (in ``kinds`` order), then channels.
    public static func < (lhs: SegmentMove, rhs: SegmentMove) -> Bool {
        let (a, b) = (kinds.firstIndex(of: lhs.kind) ?? kinds.count, kinds.firstIndex(of: rhs.kind) ?? kinds.count)
        return (a, lhs.from, lhs.to, lhs.people) < (b, rhs.from, rhs.to, rhs.people)
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

    /// Migration 8: consent movements between two recordings of a segment (additive: a nullable
    /// column for the previous recording's time and a table of movement counts per figure).
    static let segmentMovesMigration = """
        ALTER TABLE segment_figures ADD COLUMN since INTEGER;
        CREATE TABLE segment_figure_moves(
            figure INTEGER NOT NULL,
            kind TEXT NOT NULL,
            from_channel TEXT NOT NULL,
            to_channel TEXT NOT NULL,
            people INTEGER NOT NULL,
            PRIMARY KEY(figure, kind, from_channel, to_channel)
        ) WITHOUT ROWID;
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
                let moves = try database.prepare("DELETE FROM segment_figure_moves WHERE figure IN (SELECT id FROM segment_figures WHERE segment = ?)")
                try moves.bind(name, at: 1)
                try moves.run()
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

    /// Appends an evaluation of a saved segment, with its consent movements (one transaction).
    public func appendSegmentFigure(_ figure: SegmentFigure) throws {
        try wrap("record a segment figure") {
            try database.savepoint {
                let statement = try database.prepare("""
                    INSERT INTO segment_figures(segment, at, matched, audience, opt_out, do_not_contact, expired_consent, no_consent,
                        no_contact_point, cross_opt, opt_down, since) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try statement.bind(figure.segment, at: 1)
                try statement.bind(figure.atMillis, at: 2)
                try statement.bind(figure.matched, at: 3)
                try statement.bind(figure.audience, at: 4)
                for (index, reason) in Self.exclusionColumns.enumerated() { try statement.bind(figure.excluded[reason] ?? 0, at: Int32(5 + index)) }
                try statement.bind(figure.crossOpt, at: 10)
                try statement.bind(figure.optDown, at: 11)
                try statement.bind(figure.sinceMillis, at: 12)
                try statement.run()
                let id = database.lastInsertRowID
                let moves = try database.prepare("INSERT INTO segment_figure_moves(figure, kind, from_channel, to_channel, people) VALUES(?, ?, ?, ?, ?)")
                for move in figure.moves {
                    moves.reset()
                    try moves.bind(id, at: 1)
                    try moves.bind(move.kind, at: 2)
                    try moves.bind(move.from, at: 3)
                    try moves.bind(move.to, at: 4)
                    try moves.bind(move.people, at: 5)
                    try moves.run()
                }
            }
        }
    }

    /// A segment's figures, oldest first, the latest `limit`.
    public func segmentFigures(_ segment: String, limit: Int = 500) throws -> [SegmentFigure] {
        try wrap("read segment figures") {
            let statement = try database.prepare("""
                SELECT segment, at, matched, audience, opt_out, do_not_contact, expired_consent, no_consent, no_contact_point, cross_opt, opt_down,
                    since, id
                FROM (SELECT * FROM segment_figures WHERE segment = ? ORDER BY at DESC, id DESC LIMIT ?) ORDER BY at, id
                """)
            try statement.bind(segment, at: 1)
            try statement.bind(limit, at: 2)
            var ids: [Int64] = []
            var figures = try statement.rows { row in
                var excluded: [String: Int] = [:]
                for (index, reason) in Self.exclusionColumns.enumerated() { excluded[reason] = row.int(at: Int32(4 + index)) }
                ids.append(row.int64(at: 12))
                return SegmentFigure(segment: row.text(at: 0), atMillis: row.int64(at: 1), matched: row.int(at: 2), audience: row.int(at: 3),
                                     excluded: excluded, crossOpt: row.int(at: 9), optDown: row.int(at: 10), sinceMillis: row.optionalInt64(at: 11))
            }
            let moves = try database.prepare("SELECT kind, from_channel, to_channel, people FROM segment_figure_moves WHERE figure = ?")
            for (index, id) in ids.enumerated() {
                moves.reset()
                try moves.bind(id, at: 1)
                figures[index].moves = try moves.rows { SegmentMove(kind: $0.text(at: 0), from: $0.text(at: 1), to: $0.text(at: 2), people: $0.int(at: 3)) }.sorted()
            }
            return figures
        }
    }

    /// The exclusion reasons (``SegmentFigure/excluded``'s keys), in the order pages show them.
    public static var exclusionReasons: [String] { exclusionColumns }

    /// The exclusion reasons in column order (`opt_out` ... `no_contact_point`).
    static let exclusionColumns = ["opt-out", "do-not-contact", "expired-consent", "no-consent", "no-contact-point"]
}
