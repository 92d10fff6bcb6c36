import AccordCrypto
import AccordSampleData
import AccordStore
import Foundation
import Testing

/// Real `accord serve` nodes on 127.0.0.1 talking TLS 1.3 with certificates made at test time.
@Suite("Sync between real nodes", .serialized)
struct SyncTests {
    @Test func meshOfThreeConvergesAndFiltersByAudience() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance", "support"])
            defer { federation.stopAll() }
            try federation.accord("retail", ["record", "put", "R-1", "given_name=Ada", "email=ada@example.com"])
            try federation.accord("insurance", ["record", "put", "I-1", "given_name=Grace", "iban=DE89370400440532013000"])
            try federation.accord("support", ["record", "put", "S-1", "given_name=Linus"])
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            try federation.connect("support", to: ["retail", "insurance"])
            try federation.start("support")

            func converged() throws -> Bool {
                let digests = try federation.units.map { try federation.digests($0) }
                return digests.allSatisfy { $0["identity"] == digests[0]["identity"] && $0["contact"] == digests[0]["contact"] }
                    && digests[0]["identity"] != nil
            }
            #expect(try federation.eventually(converged), "nodes did not converge: \(federation.log("retail"))")
            // Written while serving: pushed at once.
            #expect(try federation.accord("support", ["record", "put", "S-2", "given_name=Margaret", "phone=+442079460000"]).status == 0)
            #expect(try federation.eventually(converged))
            let identity = try federation.digests("retail")["identity"]
            #expect(try federation.units.allSatisfy { try federation.digests($0)["identity"] == identity })

            // "financial" goes to insurance and governance only: never stored on retail or support.
            #expect(try federation.streams("insurance").contains("insurance/financial"))
            for unit in ["retail", "support"] {
                #expect(try !federation.streams(unit).contains("insurance/financial"))
                #expect(try federation.digests(unit)["financial"] == nil)
            }
            let status = try federation.accord("retail", ["status", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(object["serving"] as? Bool == true)
            for unit in federation.units {
                let counts = try JSONSerialization.jsonObject(with: Data(try federation.accord(unit, ["status", "--json"]).stdout.utf8)) as? [String: Any]
                #expect(counts?["rejectedBatches"] as? Int == 0, "\(unit) refused batches from honest peers: \(federation.log(unit))")
            }
            let peers = try #require(object["peers"] as? [[String: Any]])
            #expect(Set(peers.compactMap { $0["unit"] as? String }) == ["insurance", "support"])
            #expect(peers.allSatisfy { $0["connected"] as? Bool == true })
            #expect(peers.allSatisfy { $0["policyVersion"] as? Int == object["policyVersion"] as? Int }, "each peer's announced policy version: \(peers)")
            #expect(federation.stopAll().values.allSatisfy { $0 == 0 }, "serve must exit 0 on SIGTERM")
            #expect(federation.log("retail").contains("\"msg\":\"stopped\""))
        }
    }

    @Test func hubOfFiveConvergesAndRelaysWhileTheAuthorIsOffline() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance", "support", "governance", "webshop"])
            defer { federation.stopAll() }
            try federation.start("retail")  // the hub
            for spoke in ["insurance", "support", "governance"] {
                try federation.connect(spoke, to: ["retail"])
                try federation.start(spoke)
            }
            try federation.accord("support", ["record", "put", "S-1", "given_name=Linus", "email=linus@example.org"])
            try federation.accord("insurance", ["record", "put", "I-1", "given_name=Grace"])
            let online = ["retail", "insurance", "support", "governance"]
            #expect(try federation.eventually {
                let identity = try online.map { try federation.digests($0)["identity"] }
                return identity[0] != nil && Set(identity).count == 1
            }, "the hub did not converge")

            // support goes offline; webshop joins later and still receives support's entries via the hub.
            federation.stop("support")
            try federation.connect("webshop", to: ["retail"])
            try federation.start("webshop")
            let expected = try federation.digests("retail")
            #expect(try federation.eventually { try federation.digests("webshop")["identity"] == expected["identity"] })
            #expect(try federation.streams("webshop").contains("support/identity"))
            #expect(try federation.streams("webshop").contains("support/contact"))
        }
    }

    @Test func aPeerWithAnUntrustedCertificateIsRefused() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            defer { federation.stopAll() }
            // insurance presents a certificate from another CA.
            let script = Federation.root.appendingPathComponent("ops/federation-ca.sh").path
            try Federation.shell([script, "init-ca", directory + "/rogue"])
            try Federation.shell([script, "issue", directory + "/rogue", "insurance", "--out", directory + "/rogue-certs"])
            for file in ["insurance.pem", "insurance.key"] {
                let target = federation.path("insurance") + "/tls/" + file
                try FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: directory + "/rogue-certs/" + file, toPath: target)
            }
            try federation.accord("insurance", ["record", "put", "I-1", "given_name=Grace"])
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            #expect(federation.eventually(timeout: 10) { federation.log("retail").contains("refused a sync connection") })
            #expect(federation.log("retail").contains("unable to get local issuer certificate"))
            #expect(try federation.accord("retail", ["rejected"]).stdout.contains("No refused batches"),
                    "a refused connection is not a refused batch")
            #expect(try federation.streams("retail") == Set(["retail/identity", "retail/contact"]).intersection(try federation.streams("retail")))
            #expect(try !federation.streams("retail").contains("insurance/identity"))
        }
    }

    @Test func killedReceiverResumesWithoutLossOrGaps() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            defer { federation.stopAll() }
            let rows = 20_000
            let csv = directory + "/customers.csv"
            _ = try SamplePopulation(persons: rows, seed: 5).writeCSV(unit: "retail", coverage: 1, noise: 0.1, to: csv, limit: rows)
            #expect(try federation.accord("retail", ["import", csv, "--quiet"]).status == 0)
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            // Kill it once it holds part of retail's records: in the middle of the sync.
            func received() throws -> Int {
                let status = try federation.accord("insurance", ["status", "--json"])
                return ((try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8))) as? [String: Any])?["records"] as? Int ?? 0
            }
            #expect(try federation.eventually(timeout: 30) { try received() > 0 })
            federation.stop("insurance", signal: SIGKILL)
            let partial = try checkStore(federation.path("insurance"), maxRecords: rows)
            #expect(partial.records > 0 && partial.records < rows, "the kill did not land mid-sync (\(partial.records) records)")
            try federation.start("insurance")
            let expected = try federation.digests("retail")
            #expect(try federation.eventually(timeout: 60) { try federation.digests("insurance") == expected },
                    "insurance did not catch up after kill -9 (had \(partial.records) records)")
            let final = try checkStore(federation.path("insurance"), maxRecords: rows)
            #expect(final.records == rows)
        }
    }
}

/// A member that sends garbage: the node logs why, closes the connection, and stores nothing.
@Suite("Malformed input from a peer", .serialized)
struct MalformedPeerTests {
    @Test(arguments: [
        ("oversized", [0xFF, 0xFF, 0xFF, 0xFF, 0x01] as [UInt8], "frameTooLarge"),
        ("unknown type", [0x00, 0x00, 0x00, 0x01, 0x63] as [UInt8], "unknownFrameType"),
        ("malformed batch", [0x00, 0x00, 0x00, 0x02, 0x02, 0x00] as [UInt8], "batch does not decode"),
    ])
    func badFramesCloseTheConnection(name: String, bytes: [UInt8], expected: String) throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            defer { federation.stopAll() }
            try federation.start("retail")
            let before = try federation.digests("retail")
            let tls = federation.path("insurance") + "/tls/"
            let context = try TLSContext(configuration: TLSConfiguration(
                certificateChainPath: tls + "insurance.pem", privateKeyPath: tls + "insurance.key", trustedCAPath: tls + "ca.pem"), role: .client)
            let fd = try Socket.connect(host: "127.0.0.1", port: try #require(federation.ports["retail"]), timeout: 5)
            Socket.setTimeouts(fd, read: 5, write: 5)
            let connection = try TLSConnection.connect(socket: fd, context: context, serverUnit: "retail")
            defer { connection.close() }
            try connection.write(bytes)
            // The node closes the connection (after an error frame at most).
            var buffer = [UInt8](repeating: 0, count: 4096)
            var closed = false
            for _ in 0..<50 where !closed {
                do {
                    closed = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) } == 0
                } catch {
                    closed = true
                }
            }
            #expect(closed, "\(name): the node kept the connection open")
            #expect(federation.eventually(timeout: 5) { federation.log("retail").contains(expected) }, "\(name): \(federation.log("retail"))")
            #expect(try federation.digests("retail") == before)
            #expect(federation.processes["retail"]?.isRunning == true, "\(name): the node must keep running")
        }
    }
}

/// A newer signed policy spreads through sync, and its rules take effect on every node.
@Suite("Policy through sync", .serialized)
struct PolicySyncTests {
    @Test func aSignedPolicySpreadsAndANewAudienceReceivesTheHistory() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance", "governance"])
            defer { federation.stopAll() }
            try federation.accord("insurance", ["record", "put", "I-1", "given_name=Grace", "iban=DE89370400440532013000"])
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            try federation.connect("governance", to: ["retail"])
            try federation.start("governance")
            #expect(try federation.eventually { try federation.streams("retail").contains("insurance/identity") })
            #expect(try !federation.streams("retail").contains("insurance/financial"))

            // v2: retail joins the audience of "financial". Signed and installed by governance.
            federation.stop("governance")
            let v2 = directory + "/v2.json"
            var policy = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: federation.path("governance") + "/policy.json"))) as! [String: Any]
            policy["version"] = 2
            policy["shareClasses"] = (policy["shareClasses"] as! [[String: Any]]).map { shareClass in
                var shareClass = shareClass
                if shareClass["name"] as? String == "financial" { shareClass["audience"] = ["insurance", "governance", "retail"] }
                return shareClass
            }
            try JSONSerialization.data(withJSONObject: policy).write(to: URL(fileURLWithPath: v2))
            #expect(try AccordBinary.run(["policy", "sign", v2, "--node", federation.path("governance")]).status == 0)
            #expect(try AccordBinary.run(["policy", "install", v2, "--node", federation.path("governance")]).status == 0)
            try federation.start("governance")

            func version(_ unit: String) throws -> Int? {
                let status = try federation.accord(unit, ["status", "--json"])
                return (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["policyVersion"] as? Int
            }
            #expect(try federation.eventually { try ["retail", "insurance"].allSatisfy { try version($0) == 2 } },
                    "v2 did not spread: \(federation.log("retail"))")
            #expect(federation.log("retail").contains("adopted a newer policy"))
            // Under v2 retail may receive "financial": insurance sends the class's history.
            #expect(try federation.eventually { try federation.streams("retail").contains("insurance/financial") })

            // v3 removes retail from "financial" again: retail purges it and says so.
            federation.stop("governance")
            policy["version"] = 3
            policy["shareClasses"] = (policy["shareClasses"] as! [[String: Any]]).map { shareClass in
                var shareClass = shareClass
                if shareClass["name"] as? String == "financial" { shareClass["audience"] = ["insurance", "governance"] }
                return shareClass
            }
            policy.removeValue(forKey: "signature")
            try JSONSerialization.data(withJSONObject: policy).write(to: URL(fileURLWithPath: v2))
            #expect(try AccordBinary.run(["policy", "sign", v2, "--node", federation.path("governance")]).status == 0)
            #expect(try AccordBinary.run(["policy", "install", v2, "--node", federation.path("governance")]).status == 0)
            try federation.start("governance")
            #expect(try federation.eventually { try version("retail") == 3 })
            #expect(try federation.eventually { try !federation.streams("retail").contains("insurance/financial") })
            #expect(try federation.digests("retail")["financial"] == nil)
            let status = try federation.accord("retail", ["status"])
            #expect(status.stdout.contains("Purged:      share class financial: policy v3 removed this unit from its audience"))
            #expect(try federation.streams("insurance").contains("insurance/financial"), "the author keeps its class")
        }
    }

    /// The pilot: two units run; governance adds a third with ops/add-unit.sh and a fourth with
    /// accord unit add, while every node keeps serving. Each new node starts empty and bootstraps
    /// from a peer; the running nodes adopt each new version through sync.
    @Test func unitsJoinTheRunningFederationOneAtATime() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "governance"])
            defer { federation.stopAll() }
            try federation.accord("retail", ["record", "put", "R-1", "given_name=Ada", "email=ada@example.com"])
            try federation.start("retail")
            try federation.connect("governance", to: ["retail"])
            try federation.start("governance")
            func status(_ unit: String) throws -> [String: Any] {
                (try JSONSerialization.jsonObject(with: Data(try federation.accord(unit, ["status", "--json"]).stdout.utf8)) as? [String: Any]) ?? [:]
            }
            let retailPort = try #require(federation.ports["retail"])

            // A third unit, with the ops script: policy v2, its node, its certificate; governance keeps serving.
            let script = Federation.root.appendingPathComponent("ops/add-unit.sh").path
            let added = try Self.run([script, directory + "/ca", federation.path("governance"), "marketing", federation.path("marketing"),
                                      "--receive", "identity", "--line", "marketing", "--peer", "retail=127.0.0.1:\(retailPort)"],
                                     environment: ["ACCORD": AccordBinary.path])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(FileManager.default.fileExists(atPath: federation.path("marketing") + "/tls/marketing.pem"))
            #expect(try federation.eventually { try status("retail")["policyVersion"] as? Int == 2 },
                    "v2 did not reach retail: \(federation.log("governance"))")
            #expect(try federation.accord("governance", ["audit", "--action", "policy.publish"]).stdout.contains("policy v2"))
            #expect(try status("marketing")["records"] as? Int == 0, "the new node starts empty")
            try federation.start("marketing")
            #expect(try federation.eventually {
                let streams = try federation.streams("marketing")
                return streams.contains("retail/identity") && streams.contains("retail/contact")
            }, "marketing did not bootstrap: \(federation.log("marketing"))")
            #expect(try federation.digests("marketing")["identity"] == (try federation.digests("retail")["identity"]))
            #expect(try status("marketing")["records"] as? Int == 1)

            // A fourth, with accord unit add and the CA script by hand; it bootstraps from marketing.
            let partner = federation.path("partner")
            let marketingPort = try #require(federation.ports["marketing"])
            let unitAdd = try AccordBinary.run(["unit", "add", "partner", "--node", federation.path("governance"), "--out", partner,
                                                "--receive", "identity", "--peer", "marketing=127.0.0.1:\(marketingPort)"])
            #expect(unitAdd.status == 0, "\(unitAdd.stderr)")
            #expect(unitAdd.stdout.contains("policy v3 signed and published"))
            try Federation.shell([Federation.root.appendingPathComponent("ops/federation-ca.sh").path, "issue", directory + "/ca", "partner",
                                  "--out", partner + "/tls"])
            try FileManager.default.copyItem(atPath: directory + "/ca/ca.pem", toPath: partner + "/tls/ca.pem")
            #expect(try federation.eventually { try ["retail", "marketing"].allSatisfy { try status($0)["policyVersion"] as? Int == 3 } })
            try federation.start("partner")
            #expect(try federation.eventually { try federation.streams("partner").contains("retail/identity") },
                    "partner did not bootstrap from marketing: \(federation.log("partner"))")
            #expect(try status("partner")["records"] as? Int == 1)
            #expect(try federation.digests("partner")["identity"] == (try federation.digests("retail")["identity"]))
            let shown = try federation.accord("governance", ["policy", "show"]).stdout
            #expect(shown.contains("partner") && shown.contains("accord://unit/partner"), "\(shown)")
        }
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func consentReplicatesAndEveryNodeGivesTheSameAnswer() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            defer { federation.stopAll() }
            try federation.accord("retail", ["record", "put", "C-1", "given_name=Ada", "email=ada@example.com"])
            #expect(try federation.accord("retail", ["consent", "record", "C-1", "--channel", "email", "--purpose", "marketing",
                                                     "--decision", "opt-out", "--method", "call-center"]).status == 0)
            #expect(try federation.accord("retail", ["consent", "record", "C-1", "--channel", "email", "--purpose", "service",
                                                     "--scope", "company", "--decision", "opt-in", "--notice-version", "v2"]).status == 0)
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            #expect(try federation.eventually { try federation.digests("insurance")["consent"] == federation.digests("retail")["consent"] })
            for (unit, purpose, allowed) in [("retail", "marketing", false), ("insurance", "marketing", false),
                                             ("retail", "service", true), ("insurance", "service", true)] {
                var answers: [String] = []
                for node in ["retail", "insurance"] {
                    let result = try federation.accord(node, ["consent", "check", "C-1", "--owner", "retail", "--unit", unit,
                                                              "--channel", "email", "--purpose", purpose, "--json"])
                    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                    #expect(object?["allowed"] as? Bool == allowed, "\(node) for \(unit)/\(purpose): \(result.stdout)")
                    answers.append(result.stdout)
                }
                #expect(answers[0] == answers[1], "both nodes give the same answer and reason")
            }
        }
    }
}
