import AccordModel
import AccordSQLite
import AccordStore
import Testing

@Suite("Store: figures for the dashboard and /metrics")
struct ReportingStoreTests {
    @Test func batchesByAuthorAndRefusalReasons() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            #expect(try author.store.batchesByAuthor().isEmpty)
            try author.write([("C-1", "given_name", "Ada"), ("C-2", "given_name", "Grace")], now: 5_000)
            let rows = try author.store.batchesByAuthor()
            #expect(rows.count == 1 && rows[0].author == "retail" && rows[0].batches >= 1 && rows[0].leaves >= 1)
            #expect(rows[0].lastStoredAtMillis > 0)
            #expect(try author.store.refusalReasons().isEmpty)
        }
    }

    /// The summary of the profile tables (migration 6): profiles, sizes, cross-unit links and the review backlog.
    @Test func consolidationSummaryReadsTheProfileTablesWhenPresent() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            #expect(try author.store.consolidationSummary()?.profiles == 0, "a new store has empty profile tables")
            let database = try Database(path: directory + "/retail.sqlite")
            try database.execute("""
                CREATE TABLE IF NOT EXISTS profiles(id TEXT PRIMARY KEY, anchor_unit TEXT NOT NULL, anchor_local_id TEXT NOT NULL, body BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS profile_members(unit TEXT NOT NULL, local_id TEXT NOT NULL, profile TEXT NOT NULL, PRIMARY KEY(unit, local_id)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS review_pairs(id TEXT PRIMARY KEY, first TEXT NOT NULL, second TEXT NOT NULL, score REAL NOT NULL,
                                                        first_profile TEXT NOT NULL, second_profile TEXT NOT NULL) WITHOUT ROWID;
                INSERT INTO profiles VALUES ('p1', 'retail', 'C-1', x''), ('p2', 'retail', 'C-2', x'');
                INSERT INTO profile_members VALUES ('retail', 'C-1', 'p1'), ('insurance', 'I-1', 'p1'), ('retail', 'C-2', 'p2');
                INSERT INTO review_pairs VALUES ('r1', 'retail/C-2', 'insurance/I-9', 0.7, 'p2', 'p3');
                """)
            let summary = try #require(try author.store.consolidationSummary())
            #expect(summary.profiles == 2 && summary.members == 3 && summary.reviewBacklog == 1)
            #expect(summary.sizes.map(\.records) == [1, 2] && summary.sizes.map(\.profiles) == [1, 1])
            #expect(summary.units == [ConsolidationSummary.UnitLinks(unit: "insurance", records: 1, linked: 1),
                                      ConsolidationSummary.UnitLinks(unit: "retail", records: 2, linked: 1)])
        }
    }
}
