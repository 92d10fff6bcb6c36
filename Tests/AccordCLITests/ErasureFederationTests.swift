import Foundation
import Testing

/// Every file at `directory` (a file, or every file under a directory, recursively) that holds one
/// of `needles`, case-insensitively.
func filesHolding(_ needles: [String], under directory: String) -> [String] {
    let wanted = needles.map { Array($0.lowercased().utf8) }
    var found: [String] = []
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else { return ["\(directory) does not exist"] }
    let files = isFolder.boolValue ? (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []) : [""]
    for relative in files {
        let path = relative.isEmpty ? directory : directory + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { continue }
        let bytes = [UInt8](data).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        for needle in wanted where bytes.count >= needle.count {
            var start = 0
            while start <= bytes.count - needle.count {
                guard let first = bytes[start...].firstIndex(of: needle[0]), first <= bytes.count - needle.count else { break }
                if Array(bytes[first..<first + needle.count]) == needle {
                    found.append("\(relative) holds \"\(String(decoding: needle, as: UTF8.self))\" at \(first)")
                    break
                }
                start = first + 1
            }
        }
    }
    return found
}

/// Erasure with proof on four real `accord serve` nodes, one of them stopped during the request.
@Suite("Erasure on real nodes", .serialized)
struct ErasureFederationTests {
    /// The sample policy without support (four members), with a legal hold on the financial class.
    func rewritePolicy(_ federation: Federation) throws {
        let path = federation.path("governance") + "/policy.json"
        var policy = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        policy["units"] = (policy["units"] as! [[String: Any]]).filter { $0["id"] as? String != "support" }
        policy["shareClasses"] = (policy["shareClasses"] as! [[String: Any]]).map { shareClass in
            var shareClass = shareClass
            if let audience = shareClass["audience"] as? [String] { shareClass["audience"] = audience.filter { $0 != "support" } }
            return shareClass
        }
        policy["writeRules"] = []
        if var resolution = policy["identityResolution"] as? [String: Any], var stewardship = resolution["stewardship"] as? [String: Any] {
            stewardship["stewards"] = (stewardship["stewards"] as? [String] ?? []).filter { $0 != "support" }
            resolution["stewardship"] = stewardship
            policy["identityResolution"] = resolution
        }
        policy["erasure"] = ["shareClass": "erasure", "requesters": ["governance", "retail", "insurance", "webshop"]]
        policy["legalHolds"] = [["id": "claim-17", "reason": "pending claim", "classes": ["financial"]]]
        let data = try JSONSerialization.data(withJSONObject: policy, options: [.prettyPrinted])
        for unit in federation.units { try data.write(to: URL(fileURLWithPath: federation.path(unit) + "/policy.json")) }
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(result.status == 0, "exit \(result.status): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout) \(result.stderr)")
    }

    @Test func everyNodeErasesAndAcknowledgesAndNoByteOfThePersonRemains() throws {
        try withTemporaryDirectory { directory in
            let units = ["governance", "retail", "insurance", "webshop"]
            let federation = try Federation(directory: directory, units: units)
            defer { federation.stopAll() }
            try rewritePolicy(federation)
            let person = ["Zelphine", "Quixotewski", "zelphine.q@example.com", "+4915112345678", "4915112345678"]
            #expect(try federation.accord("retail", ["record", "put", "C-1", "given_name=Zelphine", "family_name=Quixotewski",
                                                     "email=Zelphine.Q@Example.COM", "phone=+49 151 12345678"]).status == 0)
            #expect(try federation.accord("retail", ["record", "put", "C-2", "given_name=Ottilie", "email=ottilie@example.com"]).status == 0)
            #expect(try federation.accord("retail", ["consent", "record", "C-1", "--channel", "email", "--purpose", "marketing",
                                                     "--decision", "opt-in"]).status == 0)
            #expect(try federation.accord("retail", ["interaction", "add", "C-1", "--type", "purchase", "--channel", "store", "amount=49.90"]).status == 0)
            #expect(try federation.accord("webshop", ["record", "put", "W-7", "given_name=Zelphine", "email=zelphine.q@example.com"]).status == 0)
            #expect(try federation.accord("insurance", ["record", "put", "I-3", "family_name=Quixotewski", "phone=+4915112345678",
                                                        "iban=DE89370400440532013000"]).status == 0)
            // retail is the hub; insurance dials only retail, and nobody dials insurance.
            try federation.start("retail")
            for unit in ["governance", "webshop", "insurance"] {
                try federation.connect(unit, to: ["retail"])
                try federation.start(unit)
            }
            func converged() throws -> Bool {
                let digests = try units.map { try federation.digests($0) }
                guard digests.allSatisfy({ $0["identity"] == digests[0]["identity"] && $0["contact"] == digests[0]["contact"] }) else { return false }
                guard try federation.accord("governance", ["record", "show", "W-7", "--owner", "webshop"]).status == 0 else { return false }
                return try federation.accord("webshop", ["record", "show", "I-3", "--owner", "insurance"]).status == 0
            }
            #expect(try federation.eventually(converged), "no convergence: \(federation.log("retail"))")

            // insurance goes offline; meanwhile it writes more on I-3 (a batch nobody has yet).
            federation.stop("insurance")
            #expect(try federation.accord("insurance", ["record", "put", "I-3", "given_name=Zelphine"]).status == 0)

            // retail's data protection officer erases the person by retail's record.
            let requested = try json(try federation.accord("retail", ["erase", "C-1", "--reference", "ticket 4711", "--json"]))
            let name = try #require(requested["request"] as? String)
            #expect(requested["records"] as? [String] == ["insurance/I-3", "retail/C-1", "webshop/W-7"], "\(requested)")
            #expect(requested["identifiers"] as? Int == 2)
            func status() throws -> [String: String] {
                let object = try json(try federation.accord("retail", ["erase", "status", name, "--json"]))
                return Dictionary(uniqueKeysWithValues: ((object["units"] as? [[String: Any]]) ?? []).map { ($0["unit"] as! String, $0["state"] as! String) })
            }
            #expect(try federation.eventually { try status() == ["governance": "acknowledged", "retail": "acknowledged",
                                                                 "webshop": "acknowledged", "insurance": "pending"] },
                    "\((try? status()) ?? [:]) \(federation.log("governance"))")
            let text = try federation.accord("retail", ["erase", "status", name]).stdout
            #expect(text.contains("Pending: insurance."), "\(text)")

            // insurance returns: it receives the request through sync, erases and acknowledges.
            try federation.start("insurance")
            #expect(try federation.eventually(timeout: 30) { try status().values.allSatisfy { $0 == "acknowledged" } },
                    "\((try? status()) ?? [:]) \(federation.log("insurance"))")
            #expect(try federation.eventually {
                try units.allSatisfy { unit in
                    let object = try json(try federation.accord(unit, ["erase", "status", name, "--json"]))
                    return object["complete"] as? Bool == true
                }
            }, "every node sees every acknowledgement")
            let list = try federation.accord("governance", ["erase", "list"]).stdout
            #expect(list.contains(name) && list.contains("4/4"), "\(list)")

            // The late batch: insurance sent its I-3 write before it had the request; retail stored it redacted.
            #expect(try federation.eventually {
                let rejected = try json(try federation.accord("retail", ["rejected", "--json"]))
                return ((rejected["entries"] as? [[String: Any]]) ?? []).contains {
                    $0["stream"] as? String == "insurance/identity" && ($0["reason"] as? String ?? "").contains("its record was erased (erasure request \(name))")
                }
            }, "retail recorded no refused entry: \((try? federation.accord("retail", ["rejected"]).stdout) ?? "")")
            // ... and insurance's stream goes on: its next write reaches retail.
            #expect(try federation.accord("insurance", ["record", "put", "I-4", "given_name=Nepomuk"]).status == 0)
            #expect(try federation.eventually { try federation.accord("retail", ["record", "show", "I-4", "--owner", "insurance"]).status == 0 })

            // Legal hold: insurance's bank details stay; nothing else of the person. Governance had not
            // received the financial class (retail, the hub, may not relay it): now it dials insurance
            // and receives the held bank details, late, but kept.
            federation.stop("governance")
            try federation.connect("governance", to: ["insurance"])
            try federation.start("governance")
            #expect(try federation.eventually { try federation.digests("governance")["financial"] == federation.digests("insurance")["financial"] })
            for unit in units {
                let shown = try federation.accord(unit, ["record", "show", "I-3", "--owner", "insurance", "--json"])
                if ["insurance", "governance"].contains(unit) {
                    #expect(shown.status == 0, "\(unit) lost the held bank details: \(shown.stderr)")
                    let entries = ((try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]]) ?? []
                    #expect(entries.map { $0["attribute"] as? String } == ["iban"], "\(unit): \(shown.stdout)")
                } else {
                    #expect(shown.status == 1, "\(unit) still holds I-3")
                }
                for (record, owner) in [("C-1", "retail"), ("W-7", "webshop")] {
                    #expect(try federation.accord(unit, ["record", "show", record, "--owner", owner]).status == 1, "\(unit) still holds \(owner)/\(record)")
                }
                #expect(try federation.accord(unit, ["record", "show", "C-2", "--owner", "retail"]).status == 0, "\(unit) lost someone else")
            }
            #expect(try federation.accord("retail", ["record", "put", "C-1", "given_name=Zelphine"]).stderr.contains("was erased"))
            #expect(try federation.accord("retail", ["audit", "--action", "erasure.acknowledged", "--json"]).stdout.components(separatedBy: "\"action\"").count - 1 == 3)

            // No byte of the person in any node's files (database, WAL, batches, configuration), while
            // serving: at once, or within seconds where this test's own `accord` processes were reading
            // the store and kept its WAL from being truncated (the node retries every second) ...
            for unit in units {
                #expect(federation.eventually { filesHolding(person, under: federation.path(unit)) == [] },
                        "\(unit): \(filesHolding(person, under: federation.path(unit)))")
            }
            // ... nor after a clean stop, nor in any log.
            #expect(federation.stopAll().values.allSatisfy { $0 == 0 })
            for unit in units {
                #expect(filesHolding(person, under: federation.path(unit)) == [], "\(unit) after stop")
                #expect(filesHolding(person, under: federation.logPath(unit)) == [], "\(unit)'s log")
            }
            #expect(filesHolding(["Ottilie"], under: federation.path("webshop")) != [], "the search finds what is there")
        }
    }
}
