import Foundation
import Testing

/// Rotating a unit's signing key through a policy version, on real `accord serve` nodes.
@Suite("Signing key rotation on real nodes", .serialized)
struct KeyRotationTests {
    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(result.status == 0, "exit \(result.status): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    @Test func aRotatedKeySignsNewBatchesAndOldBatchesStayValidEverywhere() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "governance", "insurance", "support"])
            defer { federation.stopAll() }
            #expect(try federation.accord("retail", ["record", "put", "R-1", "given_name=Ada"]).status == 0)
            try federation.start("retail")
            for unit in ["governance", "insurance"] {
                try federation.connect(unit, to: ["retail"])
                try federation.start(unit)
            }
            #expect(try federation.eventually { try federation.accord("insurance", ["record", "show", "R-1", "--owner", "retail"]).status == 0 })
            let oldKey = try #require(try json(try federation.accord("retail", ["status", "--json"]))["signingKey"] as? String)

            // The unit makes its next key; governance publishes v2 naming it, the old key valid through v1.
            let rotation = try json(try federation.accord("retail", ["key", "rotate", "--json"]))
            let nextKey = try #require(rotation["nextKey"] as? String)
            #expect(nextKey != oldKey)
            let pending = try federation.accord("retail", ["key", "rotate"])
            #expect(pending.status == 1 && pending.stderr.contains("a key rotation is pending"), "\(pending.stderr)")
            // Until v2 arrives, the node still signs with the old key.
            #expect(try federation.accord("retail", ["record", "put", "R-2", "given_name=Grace"]).status == 0)
            #expect(try json(try federation.accord("retail", ["status", "--json"]))["signingKey"] as? String == oldKey)

            let draft = directory + "/v2.json"
            var policy = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: federation.path("governance") + "/policy.json"))) as? [String: Any])
            policy["version"] = (policy["version"] as? Int ?? 1) + 1
            policy.removeValue(forKey: "signature")
            try JSONSerialization.data(withJSONObject: policy).write(to: URL(fileURLWithPath: draft))
            #expect(try federation.accord("retail", ["key", "draft", draft]).status == 0)
            let drafted = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: draft))) as? [String: Any])
            let retail = try #require((drafted["units"] as? [[String: Any]])?.first { $0["id"] as? String == "retail" })
            #expect(retail["signingKey"] as? String == nextKey)
            #expect((retail["previousSigningKeys"] as? [[String: Any]])?.first?["key"] as? String == oldKey)
            #expect(try federation.accord("governance", ["policy", "publish", draft]).status == 0)
            #expect(try federation.eventually { try json(try federation.accord("retail", ["status", "--json"]))["policyVersion"] as? Int == 2 },
                    "v2 did not reach retail: \(federation.log("retail"))")
            #expect(try json(try federation.accord("retail", ["status", "--json"]))["signingKey"] as? String == nextKey)

            // New batches are signed with the new key and accepted; the old ones keep verifying.
            #expect(try federation.accord("retail", ["record", "put", "R-3", "given_name=Linus"]).status == 0)
            #expect(try federation.eventually { try federation.accord("insurance", ["record", "show", "R-3", "--owner", "retail"]).status == 0 },
                    "insurance did not take a batch signed with the new key: \(federation.log("insurance"))")
            // A unit that joins now receives batches signed with both keys from a relay, and verifies them all.
            try federation.connect("support", to: ["insurance"])
            try federation.start("support")
            #expect(try federation.eventually { try federation.digests("support")["identity"] == federation.digests("retail")["identity"] },
                    "support did not converge: \(federation.log("support"))")
            for unit in federation.units {
                #expect(try json(try federation.accord(unit, ["status", "--json"]))["rejectedBatches"] as? Int == 0, "\(unit): \(federation.log(unit))")
                let verified = try federation.accord(unit, ["verify"])
                #expect(verified.status == 0, "\(unit): \(verified.stdout)")
            }
            // The next rotation completes this one first: the old key is moved aside.
            let again = try json(try federation.accord("retail", ["key", "rotate", "--json"]))
            #expect((again["retired"] as? String)?.contains("signing.retired-") == true)
            #expect(try json(try federation.accord("retail", ["status", "--json"]))["signingKey"] as? String == nextKey)
        }
    }
}
