import Foundation
import Testing

/// `accord backup` while a node serves, and `accord restore` with recovery of the unit's own
/// streams from its peers, on real `accord serve` nodes.
@Suite("Backup and restore on real nodes", .serialized)
struct BackupRestoreTests {
    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(result.status == 0, "exit \(result.status): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    /// retail and insurance only, with erasure requests allowed from both.
    func twoUnitPolicy(_ federation: Federation) throws {
        let path = federation.path("retail") + "/policy.json"
        var policy = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        policy["erasure"] = ["shareClass": "erasure", "requesters": ["retail", "insurance"]]
        let data = try JSONSerialization.data(withJSONObject: policy, options: [.prettyPrinted])
        for unit in federation.units { try data.write(to: URL(fileURLWithPath: federation.path(unit) + "/policy.json")) }
    }

    @Test func restoredNodeRecoversItsStreamsReusesNoSequenceAndErasesAgain() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            defer { federation.stopAll() }
            try twoUnitPolicy(federation)
            #expect(try federation.accord("retail", ["record", "put", "R-1", "given_name=Wendeline", "email=wendeline@example.com"]).status == 0)
            try federation.start("retail")
            try federation.connect("insurance", to: ["retail"])
            try federation.start("insurance")
            func converged() throws -> Bool {
                let (a, b) = (try federation.digests("retail"), try federation.digests("insurance"))
                return a["identity"] != nil && a["identity"] == b["identity"] && a["contact"] == b["contact"] && a["erasure"] == b["erasure"]
            }
            #expect(try federation.eventually(converged), "no convergence: \(federation.log("retail"))")

            // A backup while retail serves and another process keeps writing on it; then retail goes
            // on writing and erases R-1.
            let backup = directory + "/retail-backup.sqlite"
            let acknowledged = AcknowledgedWrites()
            let node = federation.path("retail")
            let writer = Thread {
                for index in 1...12 {
                    let result = try? AccordBinary.run(["record", "put", "W-\(index)", "given_name=Writer\(index)", "--node", node])
                    if result?.status == 0 { acknowledged.add("W-\(index)") }
                }
                acknowledged.finish()
            }
            writer.start()
            Thread.sleep(forTimeInterval: 0.2)
            let made = try json(try federation.accord("retail", ["backup", backup, "--json"]))
            acknowledged.waitUntilFinished()
            #expect(acknowledged.ids.count == 12, "every write under load was acknowledged")
            #expect(made["unit"] as? String == "retail")
            let attributes = try FileManager.default.attributesOfItem(atPath: backup)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try federation.accord("retail", ["backup", backup]).status == 1, "an existing file is never overwritten")
            #expect(try federation.accord("retail", ["record", "put", "R-2", "given_name=Quirin"]).status == 0)
            #expect(try federation.accord("retail", ["record", "put", "R-3", "given_name=Leokadia"]).status == 0)
            let erased = try json(try federation.accord("retail", ["erase", "R-1", "--reference", "ticket 9", "--json"]))
            let request = try #require(erased["request"] as? String)
            #expect(try federation.eventually {
                let object = try json(try federation.accord("retail", ["erase", "status", request, "--json"]))
                let states = Dictionary(uniqueKeysWithValues: ((object["units"] as? [[String: Any]]) ?? []).map { ($0["unit"] as? String ?? "", $0["state"] as? String ?? "") })
                return states["retail"] == "acknowledged" && states["insurance"] == "acknowledged"
            }, "the erasure was not acknowledged by both: \(federation.log("insurance"))")
            #expect(try federation.eventually(converged))
            let before = try json(try federation.accord("retail", ["status", "--json"]))
            let headsBefore = try #require(before["streams"] as? [[String: Any]])

            // Restoring under a running node is refused; stopped, it goes through.
            let refused = try federation.accord("retail", ["restore", backup])
            #expect(refused.status == 1 && refused.stderr.contains("stop it before restoring"), "\(refused.stderr)")
            federation.stop("retail")
            let restored = try json(try federation.accord("retail", ["restore", backup, "--json"]))
            let aside = try #require(restored["setAside"] as? String)
            #expect(FileManager.default.fileExists(atPath: aside), "the replaced store is kept")

            // The restored store lacks R-2, holds R-1 again, and refuses local writes.
            #expect(try federation.accord("retail", ["record", "show", "R-2"]).status == 1)
            #expect(try federation.accord("retail", ["record", "show", "R-1"]).status == 0)
            let write = try federation.accord("retail", ["record", "put", "R-4", "given_name=Ansgar"])
            #expect(write.status == 1 && write.stderr.contains("restored from a backup"), "\(write.stderr)")
            #expect(try json(try federation.accord("retail", ["status", "--json"]))["recovering"] is [String: Any])
            #expect(try federation.accord("retail", ["status"]).stdout.contains("Recovery:"))

            // Serving again: insurance sends retail its own batches back; recovery ends by itself.
            try federation.start("retail")
            #expect(try federation.eventually(timeout: 30) {
                try json(try federation.accord("retail", ["status", "--json"]))["recovering"] is NSNull
            }, "recovery did not end: \(federation.log("retail"))")
            #expect(federation.log("retail").contains("recovered own streams after the restore"))
            let after = try json(try federation.accord("retail", ["status", "--json"]))
            #expect(NSArray(array: try #require(after["streams"] as? [[String: Any]])) == NSArray(array: headsBefore),
                    "the recovered heads are the heads before the restore")
            #expect(try federation.accord("retail", ["record", "show", "R-2"]).status == 0)
            // Every write acknowledged during and after the backup is back, recovered from insurance.
            for id in acknowledged.ids {
                #expect(try federation.accord("retail", ["record", "show", id]).status == 0, "\(id) was acknowledged and is lost")
            }
            // The erasure returned with retail's own acknowledgement and ran again on the restored data.
            #expect(try federation.eventually { try federation.accord("retail", ["record", "show", "R-1"]).status == 1 },
                    "R-1 came back with the backup and was not erased again")

            // New writes continue the streams: insurance takes them, refuses nothing, the nodes converge.
            #expect(try federation.accord("retail", ["record", "put", "R-4", "given_name=Ansgar"]).status == 0)
            #expect(try federation.eventually { try federation.accord("insurance", ["record", "show", "R-4", "--owner", "retail"]).status == 0 })
            #expect(try federation.eventually(converged))
            for unit in federation.units {
                #expect(try json(try federation.accord(unit, ["status", "--json"]))["rejectedBatches"] as? Int == 0, "\(unit): \(federation.log(unit))")
                #expect(try federation.accord(unit, ["verify"]).status == 0)
            }
        }
    }

    @Test func restoreRefusesAnotherUnitsNewerOrDamagedBackups() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail", "insurance"])
            #expect(try federation.accord("insurance", ["record", "put", "I-1", "given_name=Hedwig"]).status == 0)
            let insuranceBackup = directory + "/insurance.sqlite"
            #expect(try federation.accord("insurance", ["backup", insuranceBackup]).status == 0)
            let other = try federation.accord("retail", ["restore", insuranceBackup])
            #expect(other.status == 1 && other.stderr.contains("a backup of unit insurance, not of retail"), "\(other.stderr)")

            let garbage = directory + "/garbage.sqlite"
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: garbage))
            let damaged = try federation.accord("retail", ["restore", garbage])
            #expect(damaged.status == 1 && damaged.stderr.contains("garbage.sqlite"), "\(damaged.stderr)")

            // A backup from a newer build: user_version beyond this build's schema (byte 60 of the header).
            let retailBackup = directory + "/retail.sqlite"
            #expect(try federation.accord("retail", ["backup", retailBackup]).status == 0)
            let newer = directory + "/newer.sqlite"
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: retailBackup)))
            bytes[60...63] = [0, 0, 0x03, 0xE7]
            try Data(bytes).write(to: URL(fileURLWithPath: newer))
            let future = try federation.accord("retail", ["restore", newer])
            #expect(future.status == 1 && future.stderr.contains("schema version 999"), "\(future.stderr)")
            // Nothing was replaced by the refused restores; the store still works.
            #expect(try federation.accord("retail", ["record", "put", "R-1", "given_name=Ansgar"]).status == 0)
            #expect(try federation.accord("retail", ["restore", "--finish"]).stdout.contains("not recovering"))
            #expect(try federation.accord("retail", ["restore"]).status == 64)
        }
    }
}

/// Writes a background writer had acknowledged (exit 0), for the test's thread to check.
final class AcknowledgedWrites: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    private let done = DispatchSemaphore(value: 0)
    func add(_ id: String) { lock.withLock { list.append(id) } }
    func finish() { done.signal() }
    func waitUntilFinished() { done.wait() }
    var ids: [String] { lock.withLock { list } }
}

