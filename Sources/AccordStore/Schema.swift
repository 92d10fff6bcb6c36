/// The store's schema as an ordered list of migrations. `PRAGMA user_version` holds how many have
/// run; each runs once, in its own transaction, and a database from a newer build is refused.
enum Schema {
    static let migrations: [String] = [
        // 1: entries by (record, author), batches, stream heads (the version vector), rejections.
        """
        CREATE TABLE meta(
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE record_state(
            unit TEXT NOT NULL,
            local_id TEXT NOT NULL,
            author TEXT NOT NULL,
            state BLOB NOT NULL,
            PRIMARY KEY(unit, local_id, author)
        ) WITHOUT ROWID;
        CREATE TABLE streams(
            author TEXT NOT NULL,
            share_class TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            hash BLOB NOT NULL,
            PRIMARY KEY(author, share_class)
        ) WITHOUT ROWID;
        CREATE TABLE batches(
            id INTEGER PRIMARY KEY,
            author TEXT NOT NULL,
            share_class TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            hash BLOB NOT NULL,
            leaf_count INTEGER NOT NULL,
            body BLOB NOT NULL,
            stored_at INTEGER NOT NULL,
            UNIQUE(author, share_class, sequence)
        );
        CREATE TABLE rejected_batches(
            id INTEGER PRIMARY KEY,
            author TEXT,
            share_class TEXT,
            sequence INTEGER,
            reason TEXT NOT NULL,
            rejected_at INTEGER NOT NULL,
            body BLOB
        );
        """,
        // 2: the audit log, append-only (triggers refuse updates and deletes).
        """
        CREATE TABLE audit(
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            unit TEXT NOT NULL,
            operator TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT,
            detail TEXT,
            due_at INTEGER
        );
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
        // 3: erasure. Tombstones are salted hashes (the salt never leaves the node) of erased record
        // keys and identifiers; refused entries are leaves stored redacted and not applied; `seen`
        // remembers which requests and acknowledgements were audited. A store that already holds
        // data was written without secure_delete: its free space is vacuumed before the first erasure.
        """
        CREATE TABLE erasure_tombstones(
            hash BLOB PRIMARY KEY,
            kind TEXT NOT NULL,
            request TEXT NOT NULL,
            before_ms INTEGER NOT NULL,
            at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE erasure_seen(
            request TEXT NOT NULL,
            unit TEXT NOT NULL,
            PRIMARY KEY(request, unit)
        ) WITHOUT ROWID;
        CREATE TABLE refused_entries(
            id INTEGER PRIMARY KEY,
            author TEXT NOT NULL,
            share_class TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            leaf INTEGER NOT NULL,
            reason TEXT NOT NULL,
            refused_at INTEGER NOT NULL
        );
        INSERT INTO meta(key, value) VALUES('erasure:salt', randomblob(16));
        INSERT INTO meta(key, value) SELECT 'erasure:vacuum-needed', x'01'
            WHERE EXISTS (SELECT 1 FROM record_state) OR EXISTS (SELECT 1 FROM batches) OR EXISTS (SELECT 1 FROM rejected_batches);
        """,
        // 4: bearer tokens of the HTTPS API: only a SHA-256 of each token is kept; names are unique among live tokens.
        """
        CREATE TABLE api_tokens(
            id TEXT PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at INTEGER
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(name) WHERE revoked_at IS NULL;
        """,
        // 5: a no-op (kept so that stores migrated while it was reserved keep their version numbers).
        "SELECT 1;",
        // 6: consolidated profiles (Store+Profiles.swift).
        profilesMigration,
        // 7: saved segments and their figures over time (Store+Segments.swift).
        Store.segmentsMigration,
        // 8: consent movements between recordings of a segment (Store+Segments.swift).
        Store.segmentMovesMigration,
    ]

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }
}
