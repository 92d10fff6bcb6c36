import Foundation
import Testing

/// `accord profile`, `accord review` and `accord match` on the built binary, and profiles across real nodes.
@Suite("Profiles on the command line", .serialized)
struct ProfileCLITests {
    private func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func profilesReviewAndMatchCommands() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/support"
            #expect(try AccordBinary.run(["init", "--unit", "support", "--node", node]).status == 0)
            let csv = directory + "/customers.csv"
            try """
                id,given_name,family_name,birth_date,email,phone,street,postcode
                C-1,Anna,Schmidt,1985-03-02,anna.schmidt@example.com,+49 151 2345678,Hauptstraße 5,10115
                C-2,Anna,Schmidt,1985-03-02,anna.schmidt@example.com,,,
                C-3,Peter,Schmidt,1983-11-20,,,Hauptstraße 5,10115
                C-4,Ana,Schmit,1985-03-02,,,,

                """.write(toFile: csv, atomically: true, encoding: .utf8)
            #expect(try AccordBinary.run(["import", csv, "--node", node]).status == 0)

            let shown = try AccordBinary.run(["profile", "show", "support/C-2", "--json", "--node", node])
            #expect(shown.status == 0, "\(shown.stderr)")
            let profile = try #require(try json(shown.stdout) as? [String: Any])
            #expect(profile["records"] as? [String] == ["support/C-1", "support/C-2"])
            let id = try #require(profile["id"] as? String)
            let byEmail = try AccordBinary.run(["profile", "show", "anna.schmidt@example.com", "--json", "--node", node])
            #expect(byEmail.stdout == shown.stdout)
            let text = try AccordBinary.run(["profile", "show", id, "--node", node])
            #expect(text.stdout.contains("Records: support/C-1, support/C-2") && text.stdout.contains("sourcePriority"))
            #expect(text.stdout.contains("To review: m"), "\(text.stdout)")
            let found = try AccordBinary.run(["profile", "search", "--name", "Schmidt", "--json", "--node", node])
            #expect((try json(found.stdout) as? [[String: Any]])?.count == 2)

            // The look-alike is a review pair; accepting it writes a must-link and merges.
            let queue = try #require(try json(try AccordBinary.run(["review", "list", "--json", "--node", node]).stdout) as? [[String: Any]])
            let pair = try #require(queue.first { ($0["second"] as? String) == "support/C-4" }?["id"] as? String)
            let accepted = try AccordBinary.run(["review", "accept", pair, "--reason", "ticket 7", "--json", "--node", node])
            #expect(accepted.status == 0, "\(accepted.stderr)")
            #expect((try json(accepted.stdout) as? [String: Any])?["profile"] as? String == id)
            let merged = try #require(try json(try AccordBinary.run(["profile", "show", id, "--json", "--node", node]).stdout) as? [String: Any])
            #expect(merged["records"] as? [String] == ["support/C-1", "support/C-2", "support/C-4"])
            #expect(try AccordBinary.run(["audit", "--node", node]).stdout.contains("review.mustLink"))

            let run = try AccordBinary.run(["match", "run", "--json", "--node", node])
            #expect((try json(run.stdout) as? [String: Any])?["profiles"] as? Int == 2)
            let proposal = directory + "/proposal.json"
            let trained = try AccordBinary.run(["match", "train", "--out", proposal, "--random-pairs", "1000", "--node", node])
            #expect(trained.status == 0, "\(trained.stderr)")
            let check = try AccordBinary.run(["policy", "check", proposal])
            #expect(check.stdout.contains("valid policy v2"), "\(check.stdout) \(check.stderr)")

            // Usage errors exit 64; unknown profiles exit 1.
            for arguments in [["profile"], ["profile", "show"], ["profile", "search"], ["review", "accept"], ["match", "train"], ["review", "maybe"]] {
                #expect(try AccordBinary.run(arguments + ["--node", node]).status == 64, "\(arguments)")
            }
            #expect(try AccordBinary.run(["profile", "show", "nobody/x", "--node", node]).status == 1)
            #expect(try AccordBinary.run(["review", "accept", "m0000", "--node", node]).status == 1)
        }
    }

    @Test func twoRealNodesShowTheSameProfileWithMembersFromBothUnits() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            defer { federation.stopAll() }
            try federation.accord("retail", ["record", "put", "R-1", "given_name=Anna", "family_name=Schmidt", "birth_date=1985-03-02",
                                             "email=anna.schmidt@example.com"])
            try federation.accord("retail", ["record", "put", "R-2", "given_name=Jonas", "family_name=Weber", "birth_date=1990-07-14"])
            try federation.accord("insurance", ["record", "put", "I-7", "given_name=Anna", "family_name=Schmidt", "birth_date=1985-03-02",
                                                "email=Anna.Schmidt@example.com", "phone=+49 151 2345678"])
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            func show(_ unit: String) throws -> String {
                try federation.accord(unit, ["profile", "show", "insurance/I-7", "--json"]).stdout
            }
            #expect(federation.eventually {
                let profile = (try? json((try? show("retail")) ?? "")) as? [String: Any]
                return profile?["records"] as? [String] == ["insurance/I-7", "retail/R-1"]
            }, "\(federation.log("retail"))")
            #expect(try federation.eventually { try show("insurance") == show("retail") })
            #expect(try federation.accord("insurance", ["profile", "show", "retail/R-2", "--json"]).stdout.contains("\"records\":[\"retail/R-2\"]"))
        }
    }
}
