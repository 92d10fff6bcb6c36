import Foundation
import Testing

/// `accord segment` end to end on a real node: the audience is always within consent, exclusions
/// are counted by reason, an export holds only attributes the unit may see, filter errors name the
/// column, and previews and exports are audited without values.
@Suite("Segments on the command line")
struct SegmentCLITests {
    @Test func previewExportSaveAndFiguresRespectConsentVisibilityAndAudit() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            let csv = directory + "/customers.csv"
            try Data("""
                id,given_name,email,city
                C-1,Ada,ada@example.com,Berlin
                C-2,Ben,ben@example.com,Berlin
                C-3,Cleo,cleo@example.com,Berlin
                C-4,Dora,,Berlin
                C-5,Emil,emil@example.com,Hamburg

                """.utf8).write(to: URL(fileURLWithPath: csv))
            #expect(try AccordBinary.run(["import", csv, "--node", node, "--quiet"]).status == 0)
            func consent(_ id: String, _ arguments: [String]) throws {
                let result = try AccordBinary.run(["consent", "record", id, "--node", node, "--channel", "email", "--purpose", "marketing"] + arguments)
                #expect(result.status == 0, "\(result.stderr)")
            }
            try consent("C-1", ["--decision", "opt-in"])
            try consent("C-2", ["--decision", "opt-out"])
            try consent("C-4", ["--decision", "opt-in"])  // no e-mail address: no contact point
            try consent("C-5", ["--decision", "opt-in"])  // not in Berlin
            // C-3 decided nothing: no consent.
            let filter = #"city = "berlin""#
            let preview = try AccordBinary.run(["segment", "preview", filter, "--node", node, "--channel", "email", "--purpose", "marketing", "--json"])
            #expect(preview.status == 0, "\(preview.stderr)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any])
            #expect(answer["matched"] as? Int == 4)
            #expect(answer["audience"] as? Int == 1, "only C-1 opted in and has an address: \(preview.stdout)")
            let excluded = answer["excluded"] as? [String: Int] ?? [:]
            #expect(excluded["opt-out"] == 1 && excluded["no-consent"] == 1 && excluded["no-contact-point"] == 1, "\(excluded)")

            // The export: the audience only, with the attributes asked for; one the unit may not see is refused.
            let out = directory + "/berlin.csv"
            let export = try AccordBinary.run(["segment", "export", filter, "--node", node, "--channel", "email", "--purpose", "marketing",
                                               "--attributes", "given_name,email", "--out", out])
            #expect(export.status == 0, "\(export.stderr)")
            let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\r\n").map(String.init)
            #expect(rows.count == 2 && rows[0] == "profile,stage,given_name,email" && rows[1].hasSuffix(",Ada,ada@example.com"), "\(rows)")
            #expect(export.stderr.contains("excluded, opt-out: 1"), "\(export.stderr)")
            let hidden = try AccordBinary.run(["segment", "export", filter, "--node", node, "--channel", "email", "--purpose", "marketing",
                                               "--attributes", "iban"])
            #expect(hidden.status != 0 && hidden.stdout.isEmpty && hidden.stderr.contains("iban"), "\(hidden.status) \(hidden.stderr)")

            // A filter that does not parse names its column; nothing is exported.
            let bad = try AccordBinary.run(["segment", "preview", #"city = "berlin" and stage = activ"#, "--node", node,
                                            "--channel", "email", "--purpose", "marketing"])
            #expect(bad.status != 0 && bad.stderr.contains("column"), "\(bad.stderr)")

            // Saved, recorded, and its figures read back.
            #expect(try AccordBinary.run(["segment", "save", "berlin", filter, "--node", node, "--channel", "email", "--purpose", "marketing"]).status == 0)
            #expect(try AccordBinary.run(["segment", "record", "--node", node]).status == 0)
            let figures = try AccordBinary.run(["segment", "figures", "berlin", "--node", node, "--json"])
            let recorded = try #require(try JSONSerialization.jsonObject(with: Data(figures.stdout.utf8)) as? [[String: Any]], "\(figures.stdout)")
            #expect(recorded.count == 1 && recorded.first?["audience"] as? Int == 1, "\(figures.stdout)")

            // Audited, with the counts and never a value.
            let audit = try AccordBinary.run(["audit", "--node", node, "--json"])
            #expect(audit.stdout.contains("segment.preview") && audit.stdout.contains("segment.export") && audit.stdout.contains("segment.save"))
            #expect(!audit.stdout.contains("berlin\\\"") && !audit.stdout.contains("Ada") && !audit.stdout.contains("ada@example.com"), "\(audit.stdout)")
        }
    }
}
