import AccordCrypto
import AccordImport
import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation
import Testing

/// Delivers, between engines in this process, every stored batch a receiver may receive and lacks,
/// until nothing moves (a stand-in for sync, without sockets).
func gossip(_ engines: [SyncEngine], rounds: Int = 8) throws {
    for _ in 0..<rounds {
        var moved = false
        for source in engines {
            for head in try source.heads() {
                for target in engines where target !== source && target.mayReceive(target.unit.rawValue, head.stream) {
                    let held = try target.withNode { try $0.store.streamHead(head.stream).sequence }
                    guard held < head.sequence else { continue }
                    for batch in try source.batches(in: head.stream, after: held, limit: 1000) {
                        if case .applied = target.receive(batch, from: source.unit.rawValue) { moved = true }
                    }
                }
            }
        }
        if !moved { return }
    }
}

/// The policy with a legal hold on the financial class.
let heldPolicy = Array(SamplePolicy.text.replacingOccurrences(
    of: #""retention": { "financial": 3650 },"#,
    with: #""retention": { "financial": 3650 }, "legalHolds": [{ "id": "claim-17", "reason": "pending claim", "classes": ["financial"] }],"#).utf8)

@Suite("Erasure on nodes")
struct ErasureTests {
    let retail = UnitID(unchecked: "retail")

    /// Four nodes holding one person's records at three units, and someone else's.
    func federation(_ directory: String) throws -> [String: SyncEngine] {
        let nodes = try makeNodes(["governance", "retail", "insurance", "webshop"], in: directory, policy: heldPolicy)
        let byUnit = Dictionary(uniqueKeysWithValues: nodes.map { ($0.unit.rawValue, $0) })
        try byUnit["retail"]!.write(localId: "C-1", values: ["given_name": .text("Zelda"), "family_name": .text("Quixotewski"),
                                                            "email": .set(["zelda.q@example.com"]), "phone": .set(["+4915112345678"])])
        try byUnit["retail"]!.write(localId: "C-2", values: ["given_name": .text("Other"), "email": .set(["other@example.com"])])
        try byUnit["retail"]!.recordConsent(localId: "C-1", topic: try ConsentTopic(channel: "email", purpose: "marketing", scope: .company),
                                            decision: ConsentDecision(choice: .optIn, expressed: true, decidedAtMillis: 1, method: "web",
                                                                      noticeVersion: "v1", noticeHash: [], collectedBy: retail))
        try byUnit["webshop"]!.write(localId: "W-7", values: ["given_name": .text("Zelda"), "email": .set(["zelda.q@example.com"])])
        try byUnit["insurance"]!.write(localId: "I-3", values: ["family_name": .text("Quixotewski"), "phone": .set(["+4915112345678"]),
                                                               "iban": .text("DE89370400440532013000")])
        let engines = byUnit.mapValues { SyncEngine(node: $0, logger: LogRecorder().logger()) }
        try gossip(Array(engines.values))
        return engines
    }

    @Test func anErasureByRecordReachesEveryRecordOfThePersonOnEveryNodeAndIsAcknowledged() throws {
        try withTemporaryDirectory { directory in
            let engines = try federation(directory)
            let governance = try #require(engines["governance"])
            // Capture insurance's identity batch before the erasure, to deliver it late later.
            let insuranceIdentity = StreamID(unchecked: UnitID(unchecked: "insurance"), shareClass: "identity")
            let late = try #require(try engines["insurance"]!.batches(in: insuranceIdentity, after: 0, limit: 10).first)

            let report = try engines["retail"]!.withNode { try $0.requestErasure([.record(RecordKey(unchecked: retail, localId: "C-1"))],
                                                                                 reference: "ticket 4711") }
            // C-1's email finds W-7, its phone finds I-3; the request names them, and the identifiers only hashed.
            #expect(report.records.map(\.description) == ["insurance/I-3", "retail/C-1", "webshop/W-7"])
            #expect(report.identifiers == 2)
            let name = try #require(report.request)
            try gossip(Array(engines.values))

            for (unit, engine) in engines {
                let status = try #require(try engine.withNode { try $0.erasureStatus(name) }, "\(unit) holds no request")
                #expect(status.pending == ["support"], "\(unit): only support (not running here) is pending")
                #expect(status.request.reference == "ticket 4711")
                try engine.withNode { node in
                    for record in ["retail/C-1", "webshop/W-7"] {
                        let parts = record.split(separator: "/")
                        #expect(try node.record(localId: String(parts[1]), owner: UnitID(unchecked: String(parts[0]))) == nil, "\(unit) still holds \(record)")
                    }
                    // insurance's bank details are under legal hold where they are held; nothing else of I-3 stays.
                    let i3 = try node.record(localId: "I-3", owner: UnitID(unchecked: "insurance"))?.attributes.map(\.attribute) ?? []
                    #expect(i3 == (node.policy.mayReceive(unit: unit, shareClass: "financial") ? ["iban"] : []), "\(unit): \(i3)")
                    #expect(try node.record(localId: "C-2", owner: retail) != nil, "\(unit) lost someone else")
                    // Stored batches still verify; no leaf holds the person.
                    var leaves = 0
                    try node.store.forEachLeaf { _, write in
                        leaves += 1
                        for change in write.changes {
                            if case .text(let text)? = change.value { #expect(!["Zelda", "Quixotewski"].contains(text)) }
                            if case .set(let items)? = change.value { #expect(!items.contains("zelda.q@example.com") && !items.contains("+4915112345678")) }
                        }
                    }
                    #expect(leaves > 0)
                    for head in try node.store.streamHeads() {
                        let key = try Ed25519PublicKey(rawRepresentation: try #require(node.policy.unit(head.stream.author.rawValue)?.signingKey))
                        for batch in try node.store.batches(in: head.stream, after: 0, limit: 1000) { _ = try batch.verified(with: key) }
                    }
                    #expect(try node.store.audit("erasure.execute"))
                    // The erasure left the store sound: streams linked and signed, nothing half-applied.
                    let verification = try node.verify()
                    #expect(verification.isSound, "\(unit): \(verification.problems)")
                    #expect(verification.leavesRedacted > 0)
                }
            }
            // The requester saw every acknowledgement arrive.
            #expect(try engines["retail"]!.withNode { try $0.store.auditEntries(action: "erasure.acknowledged") }.count == 3)
            #expect(try governance.withNode { try $0.store.audit("erasure.received") })
            // The request never holds the identifiers in the clear.
            let requestBytes = try governance.withNode { node -> [UInt8] in
                let statuses = try node.erasureStatuses()
                return EntryCodec.encode(try RecordWrite(record: RecordKey(unchecked: retail, localId: "x"), hlc: .zero,
                                                         changes: [(attribute: ErasureRequest.attribute, value: .erasureRequest(statuses[0].request))]))
            }
            for secret in ["zelda.q@example.com", "+4915112345678", "Zelda"] {
                #expect(!String(decoding: requestBytes, as: UTF8.self).contains(secret))
            }

            // insurance's old identity batch arriving late at a node that never had it: stored redacted, not applied.
            let support = try Node.initialize(directory: directory + "/support", unit: "support", policyText: try governance.withNode { try $0.policyDocument() })
            let supportEngine = SyncEngine(node: support, logger: LogRecorder().logger())
            let erasureStreams = try governance.heads().filter { $0.stream.shareClass == "erasure" }
            for head in erasureStreams {
                for batch in try governance.batches(in: head.stream, after: 0, limit: 100) { _ = supportEngine.receive(batch, from: "governance") }
            }
            // support has not signed anything in this test's policy, but it carries out the request on receipt.
            #expect(try supportEngine.withNode { try $0.erasureStatus(name) }?.units.first { $0.unit == "support" }?.acknowledgement != nil)
            // A batch refused for another reason (here: a gap) is kept for inspection, without the erased person's leaves.
            let insuranceKey = try Ed25519PrivateKey.read(fromFile: directory + "/insurance/keys/signing.pem")
            let next = try RecordWrite(record: RecordKey(unchecked: UnitID(unchecked: "insurance"), localId: "I-3"), hlc: late.header.createdAt,
                                       changes: [(attribute: AttributeName(unchecked: "given_name"), value: .text("Zelda"))])
            let gap = try BatchSealer().seal([EntryCodec.encode(next)], continuing: StreamHead(stream: insuranceIdentity, sequence: 1, hash: late.hash),
                                             policyVersion: 1, createdAt: late.header.createdAt, key: insuranceKey)[0].batch
            guard case .refused = supportEngine.receive(gap, from: "webshop") else { Issue.record("a gap was applied"); return }
            #expect(try supportEngine.withNode { try $0.store.rejectedBatches().count } == 1)
            #expect(try supportEngine.withNode { try $0.store.rejectedBodies() }.allSatisfy { body in
                (try? BatchCodec.decode(body))?.leaves.allSatisfy(\.isRedacted) == true
            }, "the refused body still holds the erased person's leaf")
            #expect(supportEngine.receive(late, from: "webshop") == .applied)
            let refused = try supportEngine.withNode { try $0.store.refusedEntries() }
            #expect(refused.count == 1 && refused[0].reason == "its record was erased (erasure request \(name))")
            #expect(try supportEngine.withNode { try $0.record(localId: "I-3", owner: UnitID(unchecked: "insurance")) } == nil)
            #expect(try supportEngine.withNode { try $0.store.batches(in: insuranceIdentity, after: 0) }.first?.leaves.allSatisfy(\.isRedacted) == true)
        }
    }

    @Test func localWritesOnAnErasedRecordAreRefusedAndImportSkipsThem() throws {
        try withTemporaryDirectory { directory in
            let engines = try federation(directory)
            _ = try engines["retail"]!.withNode { try $0.requestErasure([.email("ZELDA.Q@example.com ")]) }
            try engines["retail"]!.withNode { node in
                #expect(throws: NodeError(.notAllowed, "")) { try node.write(localId: "C-1", values: ["given_name": .text("Zelda")]) }
                #expect(throws: NodeError(.notAllowed, "")) {
                    try node.recordConsent(localId: "C-1", topic: try ConsentTopic(channel: "email", purpose: "service", scope: .company),
                                           decision: ConsentDecision(choice: .optIn, expressed: true, decidedAtMillis: 1, method: "web",
                                                                     noticeVersion: "", noticeHash: [], collectedBy: retail))
                }
                try write("id,given_name\nC-1,Zelda\nC-9,Newcomer\n", to: directory + "/again.csv")
                let report = try node.importRecords(from: directory + "/again.csv", options: ImportOptions(format: .csv, mapping: ImportMapping()))
                #expect(report.rowsOfErasedRecords == 1 && report.recordsWritten == 1)
                #expect(try node.record(localId: "C-1") == nil)
                // Someone with the same email later is new data, on a new record: accepted.
                try node.write(localId: "C-10", values: ["email": .set(["zelda.q@example.com"])])
            }
        }
    }

    @Test func aDryRunNamesWhatARequestWouldAndOnlyRequestersMayRequest() throws {
        try withTemporaryDirectory { directory in
            let engines = try federation(directory)
            let preview = try engines["webshop"]!.withNode { try $0.requestErasure([.phone("0151 12345678")], dryRun: true) }
            #expect(preview.request == nil && preview.records.map(\.description) == ["insurance/I-3", "retail/C-1"])
            #expect(try engines["webshop"]!.withNode { try $0.erasureStatuses() }.isEmpty)
            #expect(throws: NodeError(.notAllowed, "")) { try engines["webshop"]!.withNode { try $0.requestErasure([.email("not an email")]) } }
            #expect(throws: NodeError(.notAllowed, "")) {
                try engines["webshop"]!.withNode { try $0.requestErasure([.record(ErasureRequest.record(requester: retail, id: "ab"))]) }
            }
            // A policy whose requesters do not include the unit: refused before anything is written.
            let text = SamplePolicy.text.replacingOccurrences(of: #""requesters": ["governance", "retail", "insurance", "support", "webshop"]"#,
                                                              with: #""requesters": ["governance"]"#)
            let nodes = try makeNodes(["retail"], in: directory + "/strict", policy: Array(text.utf8))
            #expect(throws: NodeError(.notAllowed, "")) { try nodes[0].requestErasure([.email("a@example.com")]) }
        }
    }

    @Test func liftingALegalHoldErasesWhatItKept() throws {
        try withTemporaryDirectory { directory in
            let engines = try federation(directory)
            let name = try #require(try engines["governance"]!.withNode { try $0.requestErasure([.phone("+4915112345678")]) }.request)
            try gossip(Array(engines.values))
            let insurance = try #require(engines["insurance"])
            #expect(try insurance.withNode { try $0.erasureStatus(name) }?.units.first { $0.unit == "insurance" }?.acknowledgement?.holds == ["claim-17"])
            #expect(try insurance.withNode { try $0.record(localId: "I-3") }?.attributes.map(\.attribute) == ["iban"])
            // Governance publishes v2 without the hold; insurance adopts it and the sweep erases the bank details.
            let governanceDirectory = directory + "/governance"
            var policy = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: governanceDirectory + "/policy.json"))) as? [String: Any])
            policy["version"] = 2
            policy.removeValue(forKey: "legalHolds")
            let key = try Ed25519PrivateKey.read(fromFile: governanceDirectory + "/keys/signing.pem")
            let signed = try PolicyTrust.sign([UInt8](try JSONSerialization.data(withJSONObject: policy)), signer: "governance", key: key)
            #expect(insurance.offerPolicy(signed, from: "governance") == 2)
            #expect(try insurance.withNode { try $0.record(localId: "I-3") } == nil)
            #expect(try insurance.withNode { try $0.store.audit("erasure.sweep") })
        }
    }
}

@Suite("Screening received leaves")
struct EntryScreenTests {
    let policy = try! Policy.parse(samplePolicy)
    let record = RecordKey(unchecked: UnitID(unchecked: "webshop"), localId: "W-9")

    func write(_ changes: [(String, Value?)], at millis: UInt64, on record: RecordKey? = nil) throws -> RecordWrite {
        try RecordWrite(record: record ?? self.record, hlc: HLC(physicalMillis: millis, logical: 0),
                        changes: changes.map { (attribute: AttributeName(unchecked: $0.0), value: $0.1) })
    }

    @Test(arguments: [
        // (what, written at, refused?)
        ("the erased email, written before the request", 500, true),
        ("the erased email, written after the request: new data", 1_500, false),
    ])
    func identifiersAreRefusedOnlyWhenWrittenBeforeTheRequest(what: String, at: UInt64, refused: Bool) throws {
        var tombstones = TombstoneSet(salt: [UInt8](repeating: 7, count: 16))
        tombstones.add(Tombstone(hash: tombstones.identifierHash("zelda.q@example.com"), kind: .identifier, request: "retail/e1", beforeMillis: 1_000))
        let screen = EntryScreen(policy: policy, tombstones: tombstones, now: 2_000)
        let reason = screen.refusal(of: try write([("email", .set(["a@example.com", "zelda.q@example.com"]))], at: at), shareClass: "contact")
        #expect((reason != nil) == refused, "\(what): \(reason ?? "admitted")")
        #expect(screen.refusal(of: try write([("email", .set(["a@example.com"]))], at: at), shareClass: "contact") == nil)
    }

    @Test func erasedRecordsAreRefusedWhateverTheTimeExceptErasureEntries() throws {
        var tombstones = TombstoneSet(salt: [UInt8](repeating: 1, count: 16))
        tombstones.add(Tombstone(hash: tombstones.recordHash(record), kind: .record, request: "retail/e1", beforeMillis: .max))
        let screen = EntryScreen(policy: policy, tombstones: tombstones, now: 2_000)
        #expect(screen.refusal(of: try write([("given_name", .text("Zelda"))], at: 9_000), shareClass: "identity") == "its record was erased (erasure request retail/e1)")
        let other = RecordKey(unchecked: UnitID(unchecked: "webshop"), localId: "W-10")
        #expect(screen.refusal(of: try write([("given_name", .text("Zelda"))], at: 9_000, on: other), shareClass: "identity") == nil)
        #expect(tombstones.recordHash(record) != TombstoneSet(salt: [UInt8](repeating: 2, count: 16)).recordHash(record), "salted per node")
    }
}

/// A restore brings back records erased after the backup; the node's own acknowledgement, recovered
/// from a peer, is what names them when no other unit's acknowledgement has arrived.
@Suite("Erasure after a restore")
struct ErasureAfterRestoreTests {
    @Test func aRestoredNodeErasesAgainWhatOnlyItsOwnAcknowledgementNames() throws {
        try withTemporaryDirectory { directory in
            let backup = directory + "/retail-backup.sqlite"
            let retailDirectory = directory + "/retail"
            let person = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "C-1")
            var insurance: SyncEngine!
            do {
                let nodes = try makeNodes(["retail", "insurance"], in: directory)
                try nodes[0].write(localId: "C-1", values: ["given_name": .text("Zelda"), "email": .set(["zelda.q@example.com"])])
                try nodes[0].write(localId: "C-2", values: ["given_name": .text("Other")])
                let retail = SyncEngine(node: nodes[0], logger: LogRecorder().logger())
                insurance = SyncEngine(node: nodes[1], logger: LogRecorder().logger())
                try gossip([retail, insurance])
                _ = try nodes[0].backup(to: backup)
                let report = try retail.withNode { try $0.requestErasure([.record(person)], reference: "ticket 12") }
                #expect(report.run?.records.contains(person) == true)
                try gossip([retail, insurance])
                #expect(try insurance.withNode { try $0.record(localId: "C-1", owner: person.unit) } == nil, "insurance erased too")
            }
            _ = try Node.restore(directory: retailDirectory, from: backup)
            let restored = try Node(directory: retailDirectory)
            #expect(try restored.record(localId: "C-1") != nil, "the backup holds the record again")
            // Only retail's own streams come back (request and retail's acknowledgement); insurance's
            // acknowledgement, which also names C-1, is held back.
            let engine = SyncEngine(node: restored, logger: LogRecorder().logger())
            for head in try insurance.heads() where head.stream.author == person.unit {
                let held = try restored.store.streamHead(head.stream).sequence
                for batch in try insurance.batches(in: head.stream, after: held, limit: 1000) {
                    #expect(engine.receive(batch, from: "insurance") == .applied)
                }
            }
            #expect(try restored.runErasures().isEmpty, "nothing runs while the own streams are recovering")
            try restored.finishRecovery()
            let runs = try restored.runErasures()
            #expect(runs.map(\.kind) == [.followUp] && runs.first?.records == [person], "\(runs)")
            #expect(try restored.record(localId: "C-1") == nil, "C-1 came back with the backup and was not erased again")
            #expect(try restored.record(localId: "C-2") != nil, "someone else was erased")
            #expect(try restored.runErasures().isEmpty, "the follow-up left a tombstone: the next pass has nothing to do")
            let verification = try restored.verify()
            #expect(verification.isSound, "\(verification.problems)")
        }
    }
}
