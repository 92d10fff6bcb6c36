import Foundation
import Testing

/// Certificate reload on SIGHUP and a CA rotation in steps, on real `accord serve` nodes.
@Suite("Certificate rotation on real nodes", .serialized)
struct RotationTests {
    func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// Sends SIGHUP to a unit's `accord serve` and waits until it says it reloaded (the `n`th time).
    func reload(_ federation: Federation, _ unit: String, times: Int) throws {
        let process = try #require(federation.processes[unit])
        kill(process.processIdentifier, SIGHUP)
        #expect(federation.eventually { occurrences("reloaded TLS certificates", in: federation.log(unit)) >= times },
                "\(unit) did not reload: \(federation.log(unit))")
    }

    /// Replaces a node's certificate and key with new ones from the CA at `ca`.
    func reissue(_ federation: Federation, _ unit: String, ca: String, into scratch: String) throws {
        let script = Federation.root.appendingPathComponent("ops/federation-ca.sh").path
        try Federation.shell([script, "issue", ca, unit, "--out", scratch])
        for file in ["\(unit).pem", "\(unit).key"] {
            let target = federation.path(unit) + "/tls/" + file
            try FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: scratch + "/" + file, toPath: target)
        }
    }

    func trust(_ federation: Federation, _ bundles: [String]) throws {
        let pem = try bundles.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        for unit in federation.units { try pem.write(toFile: federation.path(unit) + "/tls/ca.pem", atomically: true, encoding: .utf8) }
    }

    @Test func certificatesReloadOnSighupAndTheCARotatesWithNoFailedHandshake() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance", "support"])
            defer { federation.stopAll() }
            let oldCA = directory + "/ca/ca.pem"
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            var record = 0
            func writeAndSee() throws -> Bool {
                record += 1
                guard try federation.accord("retail", ["record", "put", "R-\(record)", "given_name=Name\(record)"]).status == 0 else { return false }
                return try federation.eventually { try federation.accord("insurance", ["record", "show", "R-\(record)", "--owner", "retail"]).status == 0 }
            }
            #expect(try writeAndSee())

            // 1. Trust the new CA beside the old one; reload both. The session stays up.
            let script = Federation.root.appendingPathComponent("ops/federation-ca.sh").path
            try Federation.shell([script, "init-ca", directory + "/ca2"])
            let newCA = directory + "/ca2/ca.pem"
            try trust(federation, [oldCA, newCA])
            try reload(federation, "retail", times: 1)
            try reload(federation, "insurance", times: 1)
            #expect(try writeAndSee(), "a write after the reload reaches the peer")
            #expect(occurrences("sync session closed", in: federation.log("insurance")) == 0, "SIGHUP dropped the peer: \(federation.log("insurance"))")
            #expect(occurrences("sync connection ended", in: federation.log("insurance")) == 0)

            // 2. Reissue both units from the new CA, reload, and reconnect: new handshakes with new certificates.
            try reissue(federation, "retail", ca: directory + "/ca2", into: directory + "/new-retail")
            try reload(federation, "retail", times: 2)
            try reissue(federation, "insurance", ca: directory + "/ca2", into: directory + "/new-insurance")
            federation.stop("insurance")
            try federation.start("insurance")
            #expect(try writeAndSee(), "no session after reissuing: \(federation.log("insurance"))")

            // 3. Remove the old CA; reload and reconnect: only certificates of the new CA now.
            try trust(federation, [newCA])
            try reload(federation, "retail", times: 3)
            federation.stop("insurance")
            try federation.start("insurance")
            #expect(try writeAndSee(), "no session after removing the old CA: \(federation.log("insurance"))")
            for unit in ["retail", "insurance"] {
                #expect(occurrences("refused a sync connection", in: federation.log(unit)) == 0, "\(federation.log(unit))")
                #expect(occurrences("cannot reach peer", in: federation.log(unit)) == 0, "a handshake failed: \(federation.log(unit))")
            }

            // The old CA is really gone: support, still on its old certificate, is refused by retail.
            try FileManager.default.removeItem(atPath: federation.path("support") + "/tls/ca.pem")
            try FileManager.default.copyItem(atPath: oldCA, toPath: federation.path("support") + "/tls/ca.pem")
            try federation.connect("support", to: ["retail"])
            try federation.start("support")
            #expect(federation.eventually { federation.log("retail").contains("refused a sync connection") },
                    "a certificate of the removed CA was accepted: \(federation.log("retail"))")

            // A reload that fails (a damaged certificate) keeps the loaded certificates in use.
            try "not a certificate".write(toFile: federation.path("retail") + "/tls/retail.pem", atomically: true, encoding: .utf8)
            kill(try #require(federation.processes["retail"]).processIdentifier, SIGHUP)
            #expect(federation.eventually { federation.log("retail").contains("cannot reload TLS certificates; the loaded ones stay in use") })
            federation.stop("insurance")
            try federation.start("insurance")
            #expect(try writeAndSee(), "the failed reload broke the served certificate: \(federation.log("insurance"))")
        }
    }
}
