import Foundation
import Testing

/// `accord inventory`: the text table, --unit, --json, usage errors.
@Suite("accord inventory: the command line")
struct InventoryCLITests {
    @Test func printsEachUnitsAttributesAndTheFindings() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            let policy = directory + "/policy.json"
            // segment kept for no purpose: a finding once retail holds one.
            let text = try String(contentsOf: Federation.root.appendingPathComponent("Config/policy.json"), encoding: .utf8)
                .replacingOccurrences(of: #""business"], "shareClass": "identity", "pii": "none", "purposes": ["marketing", "research"] }"#,
                                      with: #""business"], "shareClass": "identity", "pii": "none", "purposes": [] }"#)
            try Data(text.utf8).write(to: URL(fileURLWithPath: policy))
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--policy", policy, "--node", node]).status == 0)
            #expect(try AccordBinary.run(["record", "put", "C-1", "given_name=Zelphine", "email=z@example.com", "segment=premium", "--node", node]).status == 0)
            #expect(try AccordBinary.run(["record", "put", "C-2", "given_name=Quill", "--node", node]).status == 0)
            let shown = try AccordBinary.run(["inventory", "--node", node])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("retail: 2 records"), "\(shown.stdout)")
            let email = try #require(shown.stdout.split(separator: "\n").first { $0.hasPrefix("email ") })
            #expect(email.contains("1 (50.0%)") && email.contains("100% of 1") && email.contains("retail,support") && email.contains("marketing,service"), "\(email)")
            #expect(shown.stdout.contains("Minimization findings") && shown.stdout.split(separator: "\n").contains { $0.hasPrefix("retail") && $0.contains("segment") })
            #expect(!shown.stdout.contains("Zelphine") && !shown.stdout.contains("z@example.com"))
            let json = try AccordBinary.run(["inventory", "--unit", "retail", "--json", "--node", node])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let rows = try #require(object["attributes"] as? [[String: Any]])
            #expect(rows.allSatisfy { $0["unit"] as? String == "retail" })
            #expect(rows.first { $0["attribute"] as? String == "given_name" }?["carrying"] as? Int == 2)
            #expect((object["findings"] as? [[String: Any]])?.first?["attribute"] as? String == "segment")
            #expect(try AccordBinary.run(["inventory", "--unit", "nobody", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["inventory", "extra", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["inventory", "--help"]).stdout.contains("Usage: accord inventory"))
        }
    }
}
