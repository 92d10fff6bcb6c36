import AccordCrypto
import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation
import Testing

/// Nodes in one process sharing a policy that holds their signing keys.
func makeNodes(_ units: [String], in directory: String, policy: [UInt8] = samplePolicy) throws -> [Node] {
    var keys: [String: String] = [:]
    for unit in units {
        let node = try Node.initialize(directory: directory + "/" + unit, unit: unit, policyText: policy)
        keys[unit] = node.publicKeyBase64
    }
    let data = Data(try PolicyKeys.setting(keys, in: policy))
    for unit in units { try data.write(to: URL(fileURLWithPath: directory + "/" + unit + "/policy.json")) }
    return try units.map { try Node(directory: directory + "/" + $0) }
}

@Suite("Receiving batches")
struct SyncEngineTests {
    @Test func forgedReplayedAndOutOfOrderBatchesAreRefusedWithTheirReason() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance", "support"], in: directory)
            let (retail, insurance) = (nodes[0], nodes[1])
            let batches = try (1...3).flatMap { index in
                try retail.write(localId: "R-\(index)", values: ["given_name": .text("Name \(index)")]).batches.map(\.batch)
            }
            let recorder = LogRecorder()
            let engine = SyncEngine(node: insurance, logger: recorder.logger())

            // A skipped sequence: batch 2 before 1.
            guard case .refused(let gap) = engine.receive(batches[1], from: "retail") else { Issue.record("gap accepted"); return }
            #expect(gap.contains("skips ahead"))
            #expect(engine.receive(batches[0], from: "retail") == .applied)
            // Replay: a no-op.
            #expect(engine.receive(batches[0], from: "retail") == .duplicate)
            #expect(engine.receive(batches[1], from: "retail") == .applied)

            // A fork: a different batch 3 signed with retail's real key cannot be made without the key, so
            // forge one with another key: refused on the signature.
            let forger = try Ed25519PrivateKey.generate()
            let forged = try BatchSealer().seal(
                [batches[2].leaves[0].body!], continuing: StreamHead(stream: batches[2].stream, sequence: 2, hash: batches[1].hash),
                policyVersion: 1, createdAt: batches[2].header.createdAt, key: forger)[0].batch
            guard case .refused(let signature) = engine.receive(forged, from: "retail") else { Issue.record("forgery accepted"); return }
            #expect(signature.contains("is not signed by retail's key"))

            // A relayed batch with a changed leaf.
            var body = try #require(batches[2].leaves[0].saltedBody)
            body[body.count - 2] ^= 0x20
            let tampered = Batch(header: batches[2].header, leaves: [Leaf(saltedBody: body)], signature: batches[2].signature)
            guard case .refused = engine.receive(tampered, from: "support") else { Issue.record("tampered leaf accepted"); return }

            // support writing retail's given_name (no write rule allows it), properly signed by support.
            let write = try RecordWrite(record: RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "R-1"),
                                        hlc: HLC(physicalMillis: Node.wallClock(), logical: 0),
                                        changes: [(attribute: AttributeName(unchecked: "given_name"), value: .text("Mallory"))])
            let supportKey = try Ed25519PrivateKey.read(fromFile: directory + "/support/keys/signing.pem")
            let onOthers = try BatchSealer().seal([EntryCodec.encode(write)], continuing: .empty(StreamID(unchecked: UnitID(unchecked: "support"), shareClass: "identity")),
                                                  policyVersion: 1, createdAt: write.hlc, key: supportKey)[0].batch
            guard case .refused(let rule) = engine.receive(onOthers, from: "support") else { Issue.record("trespass accepted"); return }
            #expect(rule.contains("may not write attribute \"given_name\" on records of \"retail\""))

            // Nothing refused was applied; every refusal is recorded with its reason and logged.
            let rejected = try engine.withNode { try $0.store.rejectedBatches() }
            #expect(rejected.count == 4)
            #expect(rejected.filter { $0.reason.contains("is not signed by retail's key") }.count == 2)  // forged, tampered
            #expect(try engine.withNode { try $0.record(localId: "R-1", owner: UnitID(unchecked: "retail")) }?.attributes.map(\.value) == ["Name 1"])
            #expect(try engine.withNode { try $0.store.streamHead(batches[2].stream).sequence } == 2)
            #expect(recorder.all.filter { $0.contains("refused a batch") }.count == 4)
            #expect(engine.receive(batches[2], from: "retail") == .applied)
        }
    }

    @Test func logsCarryNoCustomerData() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance"], in: directory)
            let batch = try nodes[0].write(localId: "R-1", values: ["given_name": .text("Zebulon"), "email": .set(["zebulon@example.com"])]).batches
            let recorder = LogRecorder()
            let engine = SyncEngine(node: nodes[1], logger: recorder.logger())
            var body = try #require(batch[0].batch.leaves[0].saltedBody)
            body[body.count - 1] ^= 1
            _ = engine.receive(Batch(header: batch[0].batch.header, leaves: [Leaf(saltedBody: body)], signature: batch[0].batch.signature), from: "retail")
            #expect(!recorder.all.isEmpty)
            #expect(!recorder.all.joined().contains("Zebulon") && !recorder.all.joined().contains("zebulon@"))
        }
    }
}
