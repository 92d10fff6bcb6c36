import Foundation
import Testing

/// Runs the built `accord` binary and captures its output and exit code.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum AccordBinary {
    static let path: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(root.appendingPathComponent(".build/debug"))
        for directory in candidates {
            var url = directory
            for _ in 0..<4 {
                let binary = url.appendingPathComponent("accord")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary.path }
                url = url.deletingLastPathComponent()
            }
        }
        return root.appendingPathComponent(".build/debug/accord").path
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ACCORD_NODE")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "accord-cli-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

@Suite("accord command line")
struct CLITests {
    @Test func helpAndUsageErrors() throws {
        let help = try AccordBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Usage: accord <command>"))
        let importHelp = try AccordBinary.run(["import", "--help"])
        #expect(importHelp.status == 0 && importHelp.stdout.contains("--map"))
        let none = try AccordBinary.run([])
        #expect(none.status == 64)
        let unknown = try AccordBinary.run(["frobnicate"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown command \"frobnicate\""))
        let badOption = try AccordBinary.run(["status", "--colour"])
        #expect(badOption.status == 64 && badOption.stderr.contains("unknown option --colour"))
        let missing = try AccordBinary.run(["init"])
        #expect(missing.status == 64 && missing.stderr.contains("--unit"))
    }

    @Test func initImportShowAndStatus() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            let initResult = try AccordBinary.run(["init", "--unit", "retail", "--node", node])
            #expect(initResult.status == 0, "\(initResult.stderr)")
            #expect(initResult.stdout.contains("Created node for unit retail"))

            let csv = directory + "/customers.csv"
            try Data("""
                id,given_name,family_name,email,phone,birth_date
                R-1,Ada,Lovelace,ada@example.com,+44 20 7946 0958,1985-12-10
                R-2,Grace,Hopper,grace@example.com,,1906-12-09
                """.utf8).write(to: URL(fileURLWithPath: csv))
            let imported = try AccordBinary.run(["import", csv, "--json"], environment: ["ACCORD_NODE": node])
            #expect(imported.status == 0, "\(imported.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
            #expect(report["recordsWritten"] as? Int == 2)
            #expect(report["rowsRejected"] as? Int == 0)

            let shown = try AccordBinary.run(["record", "show", "R-1", "--node", node])
            #expect(shown.status == 0)
            #expect(shown.stdout.contains("Record retail/R-1"))
            #expect(shown.stdout.contains("+442079460958"))

            let status = try AccordBinary.run(["status", "--node", node, "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(object["unit"] as? String == "retail")
            #expect(object["records"] as? Int == 2)
            #expect((object["streams"] as? [[String: Any]])?.count == 2)

            let listed = try AccordBinary.run(["records", "--node", node, "--limit", "1"])
            #expect(listed.status == 0 && listed.stdout.contains("R-1") && !listed.stdout.contains("R-2"))

            let put = try AccordBinary.run(["record", "put", "R-2", "phone=0151 2345678|+49 30 1234567", "--node", node])
            #expect(put.status == 0, "\(put.stderr)")
            let again = try AccordBinary.run(["record", "show", "R-2", "--node", node, "--json"])
            #expect(again.stdout.contains("+491512345678|+49301234567"))

            let absent = try AccordBinary.run(["record", "show", "R-9", "--node", node])
            #expect(absent.status == 1 && absent.stderr.contains("no record retail/R-9"))
        }
    }

    @Test func importWithBadRowsReportsLineColumnAndReasonButNoValue() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            _ = try AccordBinary.run(["init", "--unit", "retail", "--node", node])
            let csv = directory + "/bad.csv"
            try Data("""
                id,given_name,email,birth_date
                R-1,Ada,ada@example.com,1985-12-10
                R-2,Grace,secret-not-an-email,1906-12-09
                R-3,Alan,alan@example.org,31.02.1912
                ,Nobody,nobody@example.org,2000-01-01
                """.utf8).write(to: URL(fileURLWithPath: csv))
            let result = try AccordBinary.run(["import", csv, "--node", node])
            #expect(result.status == 1)
            #expect(result.stdout.contains("1 records written"))
            #expect(result.stdout.contains("3 rejected"))
            #expect(result.stderr.contains("line 3, column \"email\""))
            #expect(result.stderr.contains("line 4, column \"birth_date\""))
            #expect(result.stderr.contains("line 5"))
            #expect(!result.stderr.contains("secret-not-an-email"))
            #expect(!result.stderr.contains("31.02.1912"))
        }
    }

    @Test func errorsForMissingNodeAndMissingFile() throws {
        try withTemporaryDirectory { directory in
            let status = try AccordBinary.run(["status", "--node", directory + "/none"])
            #expect(status.status == 1 && status.stderr.contains("is not an Accord node"))
            let node = directory + "/retail"
            _ = try AccordBinary.run(["init", "--unit", "retail", "--node", node])
            let missing = try AccordBinary.run(["import", directory + "/missing.csv", "--node", node])
            #expect(missing.status == 1 && missing.stderr.contains("missing.csv"))
            let wrongUnit = try AccordBinary.run(["init", "--unit", "marketing", "--node", directory + "/m"])
            #expect(wrongUnit.status == 1 && wrongUnit.stderr.contains("not a member"))
        }
    }

    @Test func peersAndDigests() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            _ = try AccordBinary.run(["init", "--unit", "retail", "--node", node])
            #expect(try AccordBinary.run(["peer", "add", "insurance", "127.0.0.1:7402", "--node", node]).status == 0)
            #expect(try AccordBinary.run(["peer", "add", "support", "127.0.0.1:7403", "--node", node]).status == 0)
            let notMember = try AccordBinary.run(["peer", "add", "marketing", "127.0.0.1:7409", "--node", node])
            #expect(notMember.status == 1 && notMember.stderr.contains("not a member"))
            #expect(try AccordBinary.run(["peer", "add", "support", "nowhere", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["peer", "remove", "support", "--node", node]).status == 0)
            #expect(try AccordBinary.run(["peer", "remove", "support", "--node", node]).status == 1)
            let list = try AccordBinary.run(["peer", "list", "--node", node, "--json"])
            let peers = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: String]])
            #expect(peers == [["unit": "insurance", "endpoint": "127.0.0.1:7402"]])

            #expect(try AccordBinary.run(["record", "put", "R-1", "given_name=Ada", "email=ada@example.com", "--node", node]).status == 0)
            let digest = try AccordBinary.run(["digest", "--node", node, "--json"])
            let digests = try #require(try JSONSerialization.jsonObject(with: Data(digest.stdout.utf8)) as? [String: String])
            #expect(Set(digests.keys) == ["identity", "contact"])
            #expect(digests.values.allSatisfy { $0.count == 64 })
            // Writing the same values again changes nothing, so the digest stays.
            _ = try AccordBinary.run(["record", "put", "R-1", "given_name=Ada", "--node", node])
            #expect(try AccordBinary.run(["digest", "--node", node, "--json"]).stdout == digest.stdout)
        }
    }

    @Test func policySignCheckInstallShowDiff() throws {
        try withTemporaryDirectory { directory in
            for unit in ["governance", "retail"] {
                #expect(try AccordBinary.run(["init", "--unit", unit, "--node", directory + "/" + unit]).status == 0)
            }
            // v1 with both keys is every node's starting point (its trust anchor).
            let v1 = directory + "/v1.json"
            try FileManager.default.copyItem(atPath: directory + "/retail/policy.json", toPath: v1)
            for unit in ["governance", "retail"] {
                #expect(try AccordBinary.run(["policy", "set-key", v1, "--node", directory + "/" + unit]).status == 0)
                try FileManager.default.removeItem(atPath: directory + "/\(unit)/policy.json")
                try FileManager.default.copyItem(atPath: v1, toPath: directory + "/\(unit)/policy.json")
            }
            let v2 = directory + "/v2.json"
            let text = try String(contentsOfFile: v1, encoding: .utf8)
                .replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2")
                .replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")
            #expect(text.contains("\"version\" : 2") || text.contains("\"version\": 2"))
            try Data(text.utf8).write(to: URL(fileURLWithPath: v2))

            let unsigned = try AccordBinary.run(["policy", "check", v2, "--node", directory + "/retail"])
            #expect(unsigned.status == 1 && unsigned.stderr.contains("is not signed"))
            let byRetail = try AccordBinary.run(["policy", "sign", v2, "--node", directory + "/retail"])
            #expect(byRetail.status == 1 && byRetail.stderr.contains("not a governance unit"))
            #expect(try AccordBinary.run(["policy", "sign", v2, "--node", directory + "/governance"]).status == 0)
            let checked = try AccordBinary.run(["policy", "check", v2, "--node", directory + "/retail"])
            #expect(checked.status == 0 && checked.stdout.contains("Signed by governance; the signature verifies"))
            #expect(checked.stdout.contains("would accept it"))
            #expect(try AccordBinary.run(["policy", "install", v2, "--node", directory + "/retail"]).status == 0)
            let shown = try AccordBinary.run(["policy", "show", "--node", directory + "/retail"])
            #expect(shown.stdout.contains("policy v2, signed by governance"))
            let replay = try AccordBinary.run(["policy", "install", v2, "--node", directory + "/retail"])
            #expect(replay.status == 1 && replay.stderr.contains("not newer than the held v2"))
            let diff = try AccordBinary.run(["policy", "diff", v1, v2])
            #expect(diff.stdout.contains("version: 1 -> 2"))
            let broken = directory + "/broken.json"
            try Data(#"{"format": "accord-policy/1", "federation": "acme", "version": 3, "units": 7}"#.utf8).write(to: URL(fileURLWithPath: broken))
            let malformed = try AccordBinary.run(["policy", "check", broken])
            #expect(malformed.status == 1 && malformed.stderr.contains("$."), "\(malformed.stderr)")
        }
    }

    @Test func accessRequestExportsWithLineageAndIsAudited() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            _ = try AccordBinary.run(["init", "--unit", "retail", "--node", node])
            _ = try AccordBinary.run(["record", "put", "C-1", "given_name=Ada", "email=ada@example.com", "--node", node])
            #expect(try AccordBinary.run(["consent", "record", "C-1", "--channel", "email", "--purpose", "marketing", "--decision", "opt-in",
                                          "--node", node], environment: ["ACCORD_OPERATOR": "clerk-7"]).status == 0)
            let receipt = try AccordBinary.run(["consent", "receipt", "C-1", "--channel", "email", "--purpose", "marketing", "--node", node])
            let receiptObject = try #require(try JSONSerialization.jsonObject(with: Data(receipt.stdout.utf8)) as? [String: Any])
            #expect(receiptObject["piiPrincipalId"] as? String == "retail/C-1")
            #expect((receiptObject["piiControllers"] as? [[String: Any]])?.first?["unit"] as? String == "retail")
            let services = try #require(receiptObject["services"] as? [[String: Any]])
            #expect(((services.first?["purposes"] as? [[String: Any]])?.first?["decision"]) as? String == "opt-in")
            let none = try AccordBinary.run(["consent", "receipt", "C-1", "--channel", "sms", "--purpose", "marketing", "--node", node])
            #expect(none.status == 1 && none.stderr.contains("no consent recorded"))
            let exported = try AccordBinary.run(["subject", "export", "C-1", "--node", node], environment: ["ACCORD_OPERATOR": "dpo"])
            #expect(exported.status == 0, "\(exported.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
            let entries = try #require(object["entries"] as? [[String: Any]])
            #expect(entries.contains { $0["attribute"] as? String == "email" && $0["value"] as? String == "ada@example.com" && $0["writtenBy"] as? String == "retail" })
            #expect((object["consent"] as? [[String: Any]])?.first?["decision"] as? String == "opt-in")
            #expect(object["dueAt"] != nil)
            let audit = try AccordBinary.run(["audit", "--node", node, "--json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["action"] as? String } == ["subject.export", "consent.record"])
            #expect(rows[0]["operator"] as? String == "dpo" && rows[1]["operator"] as? String == "clerk-7")
            #expect(rows[0]["dueAt"] != nil && rows[0]["subject"] as? String == "retail/C-1")
            let missing = try AccordBinary.run(["subject", "export", "C-9", "--node", node])
            #expect(missing.status == 1 && missing.stderr.contains("no record retail/C-9"))
            let byEmail = try AccordBinary.run(["subject", "export", "ADA@example.com", "--node", node])
            let found = try #require(try JSONSerialization.jsonObject(with: Data(byEmail.stdout.utf8)) as? [String: Any])
            #expect((found["records"] as? [[String: Any]])?.map { $0["record"] as? String } == ["retail/C-1"], "\(byEmail.stderr)")
            #expect((found["records"] as? [[String: Any]])?.first?["foundBy"] as? String == "identifier")
            let nobody = try AccordBinary.run(["subject", "export", "--phone", "+49 30 1234567", "--node", node])
            #expect(nobody.status == 1 && nobody.stderr.contains("holds nothing on the person"), "\(nobody.stderr)")
        }
    }

    @Test func demoRunsAFederationFromNothing() throws {
        try withTemporaryDirectory { directory in
            let result = try AccordBinary.run(["demo", "--records", "300", "--exit", "--dir", directory + "/demo"])
            #expect(result.status == 0, "\(result.stderr)")
            for unit in ["retail", "insurance", "webshop"] {
                #expect(result.stdout.contains("   \(unit): "), "\(result.stdout)")
                #expect(FileManager.default.fileExists(atPath: directory + "/demo/\(unit)/node.json"))
            }
            #expect(result.stdout.contains("0 rejected"))
            #expect(result.stdout.contains("4. Converged in"))
            #expect(result.stdout.contains("identity  equal on retail, insurance, webshop"), "\(result.stdout)")
            #expect(!result.stdout.contains("DIFFERENT"))
            #expect(result.stdout.contains("5. A customer of retail, as insurance holds it (accord record show R-"))
            #expect(result.stdout.contains("[by retail]"))
            #expect(result.stdout.contains("6. retail consolidated"), "\(result.stdout)")
            #expect(result.stdout.contains("One person across units (accord profile show p"), "\(result.stdout)")
            // The nodes it leaves behind agree when opened afterwards.
            let retail = try AccordBinary.run(["digest", "--node", directory + "/demo/retail", "--json"])
            let insurance = try AccordBinary.run(["digest", "--node", directory + "/demo/insurance", "--json"])
            let a = try JSONSerialization.jsonObject(with: Data(retail.stdout.utf8)) as? [String: String]
            let b = try JSONSerialization.jsonObject(with: Data(insurance.stdout.utf8)) as? [String: String]
            #expect(a?["identity"] != nil && a?["identity"] == b?["identity"])
        }
    }

}
