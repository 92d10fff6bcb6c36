import Foundation
import Testing

/// `ops/pilot.sh`: the local pilot with the real binary: start two units and governance, add a
/// third, check they converge, stop every node.
@Suite("ops/pilot.sh", .serialized)
struct PilotScriptTests {
    @Test func thePilotStartsConvergesAddsAUnitAndStops() throws {
        try withTemporaryDirectory { directory in
            let script = Federation.root.appendingPathComponent("ops/pilot.sh").path
            let pilot = directory + "/pilot"
            let environment = ["ACCORD": AccordBinary.path]
            // Output to files, not pipes: the nodes the script starts in the background inherit its
            // descriptors, so a pipe would stay open as long as they run.
            func run(_ arguments: [String]) throws -> CommandResult {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: script)
                process.arguments = arguments
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                let (out, err) = (directory + "/script.out", directory + "/script.err")
                for file in [out, err] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
                process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
                process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
                try process.run()
                process.waitUntilExit()
                return CommandResult(status: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                                     stderr: try String(contentsOfFile: err, encoding: .utf8))
            }
            defer { _ = try? run(["stop", pilot]) }
            let started = try run(["start", pilot, "--persons", "150"])
            #expect(started.status == 0, "\(started.stderr)")
            #expect(started.stdout.contains("governance serving on 127.0.0.1:"))
            func digest(_ unit: String) throws -> [String: String] {
                let result = try AccordBinary.run(["digest", "--json", "--node", pilot + "/" + unit])
                return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String]) ?? [:]
            }
            func converged(_ units: [String]) throws -> Bool {
                let digests = try units.map(digest)
                return digests[0]["identity"] != nil && digests.allSatisfy { $0["identity"] == digests[0]["identity"] && $0["contact"] == digests[0]["contact"] }
            }
            let deadline = { (seconds: Double) in Date().addingTimeInterval(seconds) }
            var until = deadline(30)
            while try !converged(["governance", "retail", "insurance"]) && Date() < until { Thread.sleep(forTimeInterval: 0.2) }
            #expect(try converged(["governance", "retail", "insurance"]), "the pilot did not converge")

            let added = try run(["add", pilot, "webshop"])
            #expect(added.status == 0, "\(added.stderr)")
            until = deadline(60)
            while try !converged(["governance", "retail", "insurance", "webshop"]) && Date() < until { Thread.sleep(forTimeInterval: 0.2) }
            #expect(try converged(["governance", "retail", "insurance", "webshop"]), "webshop did not join")
            let status = try run(["status", pilot])
            #expect(status.stdout.contains("policy v2") && status.stdout.contains("== webshop"), "\(status.stdout)")

            let pids = try FileManager.default.contentsOfDirectory(atPath: pilot).filter { $0.hasSuffix(".pid") }
                .compactMap { Int32(try String(contentsOfFile: pilot + "/" + $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) }
            #expect(pids.count == 4)
            let stopped = try run(["stop", pilot])
            #expect(stopped.status == 0, "\(stopped.stderr)")
            #expect(pids.allSatisfy { kill($0, 0) != 0 }, "a node of the pilot still runs")
            #expect(try run(["start", pilot]).status == 1, "a second pilot in the same directory is refused")
        }
    }
}
