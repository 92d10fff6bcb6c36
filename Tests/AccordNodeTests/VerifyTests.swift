import AccordLedger
import AccordModel
import AccordNode
import AccordStore
import Foundation
import Testing

@Suite("Verifying a store")
struct VerifyTests {
    @Test func aSoundStoreVerifiesAndEachKindOfDamageIsNamed() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance"], in: directory)
            let (retail, insurance) = (nodes[0], nodes[1])
            var sealed = 0
            for index in 1...4 {
                let commit = try retail.write(localId: "R-\(index)", values: ["given_name": .text("Name \(index)"), "email": .set(["r\(index)@example.com"])])
                sealed += commit.batches.count
            }
            #expect(sealed == 8)  // two classes (identity, contact) per write
            // Insurance receives retail's batches and its own write.
            let engine = SyncEngine(node: insurance, logger: Logger(minimum: .error, sink: { _ in }))
            for head in try retail.store.streamHeads() {
                for batch in try retail.store.batches(in: head.stream, after: 0) { #expect(engine.receive(batch, from: "retail") == .applied) }
            }
            let sound = try retail.verify()
            #expect(sound.isSound, "\(sound.problems)")
            #expect(sound.streams == 2 && sound.batches == 8 && sound.leavesChecked == 8)
            let received = try engine.withNode { try $0.verify() }
            #expect(received.isSound, "\(received.problems)")

            // A register removed behind the batches' back: the batch that wrote it is half-applied.
            _ = try retail.store.removeRegisters { attribute, register in
                attribute.rawValue == "given_name" && register.value == .text("Name 2")
            }
            let halfApplied = try retail.verify()
            #expect(!halfApplied.isSound)
            #expect(halfApplied.problems.contains { $0.contains("retail/identity#2") && $0.contains("not applied") && $0.contains("retail/R-2") })
            #expect(!halfApplied.problems.joined().contains("Name 2"), "a problem must not carry the value")
        }
    }

    @Test func aMissingBatchAndAStreamHeadPastItsBatchesAreNamed() throws {
        try withTemporaryDirectory { directory in
            let retail = try makeNodes(["retail"], in: directory)[0]
            for index in 1...3 { try retail.write(localId: "R-\(index)", values: ["given_name": .text("N\(index)")]) }
            #expect(try retail.verify().isSound)
            // Remove batch #2 of the identity stream with SQLite directly (another process could).
            let path = directory + "/retail/accord.sqlite"
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            sqlite.arguments = ["python3", "-c",
                                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"DELETE FROM batches WHERE share_class='identity' AND sequence=2\"); c.commit()",
                                path]
            try sqlite.run()
            sqlite.waitUntilExit()
            #expect(sqlite.terminationStatus == 0)
            let reopened = try Node(directory: directory + "/retail")
            let report = try reopened.verify()
            #expect(!report.isSound)
            #expect(report.problems.contains { $0.contains("retail/identity: batch #2 is missing") })
        }
    }
}
