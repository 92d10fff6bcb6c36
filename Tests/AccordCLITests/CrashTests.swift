import AccordCrypto
import AccordLedger
import AccordModel
import AccordSampleData
import AccordStore
import Foundation
import Testing

/// `kill -9` of `accord import` at several moments: after each restart the store is sound, every
/// stream is gap-free and correctly linked and signed, nothing is stored twice, and re-running the
/// import completes it.
@Suite("Crash during import")
struct CrashTests {
    @Test func killedImportsResumeWithoutLossGapsOrDuplicates() throws {
        try withTemporaryDirectory { directory in
            let rows = 20_000
            let csv = directory + "/customers.csv"
            _ = try SamplePopulation(persons: rows, seed: 99).writeCSV(unit: "retail", coverage: 1.0, noise: 0.1, to: csv, limit: rows)
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)

            var interrupted = 0
            for delay in [0.15, 0.4, 0.8] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: AccordBinary.path)
                process.arguments = ["import", csv, "--node", node, "--chunk", "500", "--quiet"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                Thread.sleep(forTimeInterval: delay)
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    interrupted += 1
                }
                process.waitUntilExit()
                try checkStore(node, maxRecords: rows)
            }
            #expect(interrupted > 0, "no import was still running when killed; the test needs a larger file")

            let final = try AccordBinary.run(["import", csv, "--node", node, "--json"])
            #expect(final.status == 0, "\(final.stderr)")
            let counts = try checkStore(node, maxRecords: rows)
            #expect(counts.records == rows)
            // One leaf per record and share class, never two: nothing was written twice.
            let again = try AccordBinary.run(["import", csv, "--node", node, "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
            #expect(report["recordsWritten"] as? Int == 0)
            #expect(report["recordsUnchanged"] as? Int == rows)
            #expect(try checkStore(node, maxRecords: rows).leaves == counts.leaves)
        }
    }
}

/// A disk that fails under `accord import` (`strace -e inject`, as `accord-reliability ioerrors`
/// does): the import stops with SQLite's named error instead of crashing (it once trapped in
/// libdispatch while tearing down its reading thread, and on a failed write to stderr), keeps
/// every chunk it acknowledged, and completes when re-run on a sound disk.
@Suite("I/O errors during import")
struct ImportIOErrorTests {
    static let strace = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile(atPath:))

    @Test(.enabled(if: strace != nil, "strace is not installed (.ci/run installs it)"),
          arguments: [("fdatasync", "EIO", "7", "disk I/O error"), ("fdatasync", "ENOSPC", "5+", "disk I/O error"),
                      ("pwrite64", "ENOSPC", "200+", "database or disk is full"), ("write", "ENOSPC", "1+", "")])
    func failingDiskStopsTheImportWithANamedErrorAndKeepsWhatItAcknowledged(call: String, error: String, when: String, named: String) throws {
        try withTemporaryDirectory { directory in
            let rows = 600
            let csv = directory + "/customers.csv"
            var text = "id,given_name,email\n"
            for row in 1...rows { text += "R-\(row),Ada,r\(row)@example.com\n" }
            try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            let faulty = try runProcessCapturing([Self.strace!, "-f", "-qq", "-e", "signal=none", "-o", directory + "/trace.txt", "-e", "trace=\(call)",
                                                  "-e", "inject=\(call):error=\(error):when=\(when)",
                                                  AccordBinary.path, "import", csv, "--node", node, "--chunk", "25", "--progress-json"],
                                                 environment: ["SWIFT_BACKTRACE": "enable=no"])
            #expect(try String(contentsOfFile: directory + "/trace.txt", encoding: .utf8).contains("(INJECTED)"), "the fault never hit")
            #expect(!faulty.signaled, "the import crashed: \(faulty.stderr.suffix(500))")
            if named.isEmpty {
                // Only its output failed: the import itself completes.
                #expect(faulty.status == 0, "\(faulty.stderr.suffix(300))")
            } else {
                #expect(faulty.status == 1 && faulty.stderr.contains("cannot store imported records") && faulty.stderr.contains(named),
                        "exit \(faulty.status): \(faulty.stderr.suffix(500))")
            }
            let acknowledged = faulty.stderr.split(separator: "\n").filter { $0.hasPrefix("{\"committed\":true") }.count * 25
            let counts = try checkStore(node, maxRecords: rows)
            #expect(counts.records >= min(acknowledged, rows), "acknowledged \(acknowledged) rows, \(counts.records) stored")
            let again = try AccordBinary.run(["import", csv, "--node", node, "--quiet"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try checkStore(node, maxRecords: rows).records == rows)
        }
    }
}

/// Runs a program to its end with stdout and stderr in files (a program under strace may leave
/// a pipe open in a child); whether it died of a signal.
func runProcessCapturing(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, signaled: Bool, stderr: String) {
    let scratch = NSTemporaryDirectory() + "accord-run-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: scratch, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch))
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, process.terminationReason == .uncaughtSignal,
            (try? String(contentsOfFile: scratch, encoding: .utf8)) ?? "")
}

/// Checks a node's store: integrity, every stream gap-free, linked and signed by its own author
/// (for this node's own streams), and no leaf stored twice; returns the counts.
@discardableResult
func checkStore(_ node: String, maxRecords: Int) throws -> StoreCounts {
    let store = try Store(path: node + "/accord.sqlite")
    let unit = store.unit
    #expect(try store.integrityCheck() == "ok")
    let pem = try String(contentsOfFile: node + "/keys/signing.pub.pem", encoding: .utf8)
    let key = try Ed25519PublicKey(pem: pem)
    var leaves = 0
    var written = Set<String>()
    for head in try store.streamHeads() {
        var previous = StreamHead.zeroHash
        var expected: UInt64 = 1
        var after: UInt64 = 0
        while true {
            let batches = try store.batches(in: head.stream, after: after, limit: 256)
            guard !batches.isEmpty else { break }
            for batch in batches {
                #expect(batch.header.sequence == expected, "gap in \(head.stream)")
                #expect(batch.header.previousHash == previous, "broken link in \(head.stream)")
                if batch.stream.author == unit { _ = try batch.verified(with: key) }
                for leaf in batch.leaves {
                    let write = try #require(try leaf.recordWrite())
                    #expect(written.insert("\(head.stream)/\(write.record.localId)").inserted, "leaf stored twice")
                }
                leaves += batch.leaves.count
                previous = batch.hash
                expected += 1
                after = batch.header.sequence
            }
        }
        #expect(after == head.sequence, "head of \(head.stream) is not its last batch")
    }
    let counts = try store.counts()
    #expect(counts.leaves == leaves)
    #expect(counts.records <= maxRecords)
    return counts
}
