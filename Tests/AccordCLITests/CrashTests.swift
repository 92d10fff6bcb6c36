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
