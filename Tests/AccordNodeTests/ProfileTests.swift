import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation
import Testing

/// Persisted profiles: built from own and received records, identical on nodes holding the same
/// entries, kept up to date incrementally, honouring replicated steward decisions.
@Suite("Profiles")
struct ProfileTests {
    /// Writes a customer with values normalized as an import would.
    private func customer(_ node: Node, _ localId: String, _ values: [String: String]) throws {
        var normalized: [String: Value?] = [:]
        for (name, text) in values {
            let multi = node.policy.attribute(name)?.multiValued ?? false
            normalized[name] = try node.normalize(text, attribute: name, multiValued: multi)
        }
        try node.write(localId: localId, values: normalized)
    }

    /// Every batch `author`'s node wrote, in row order.
    private func ownBatches(_ node: Node) throws -> [Batch] {
        try node.store.batchRows(after: 0, limit: 10_000).map(\.batch).filter { $0.header.stream.author == node.unit }
    }

    private func deliver(_ batches: [Batch], to node: Node, from peer: String) {
        let engine = SyncEngine(node: node, logger: LogRecorder().logger())
        for batch in batches { #expect(engine.receive(batch, from: peer) == .applied) }
    }

    private func bodies(_ node: Node) throws -> [String] {
        try node.store.allProfileBodies().map { $0.id + " " + String(decoding: $0.body, as: UTF8.self) }
    }

    private func writeCustomers(_ retail: Node, _ insurance: Node) throws {
        try customer(retail, "R-1", ["given_name": "Anna", "family_name": "Schmidt", "birth_date": "1985-03-02",
                                     "email": "anna.schmidt@example.com", "street": "Hauptstraße 5", "postcode": "10115"])
        try customer(retail, "R-2", ["given_name": "Peter", "family_name": "Schmidt", "birth_date": "1983-11-20",
                                     "street": "Hauptstraße 5", "postcode": "10115"])
        try customer(insurance, "I-7", ["given_name": "Anna", "family_name": "Schmidt", "birth_date": "1985-03-02",
                                        "email": "anna.schmidt@example.com", "phone": "+49 151 2345678"])
        try customer(insurance, "I-8", ["given_name": "Jonas", "family_name": "Weber", "birth_date": "1990-07-14", "phone": "+49 160 9876543"])
    }

    @Test func nodesHoldingTheSameEntriesStoreTheSameProfilesWithMembersFromBothUnits() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance", "support"], in: directory)
            let (retail, insurance, support) = (nodes[0], nodes[1], nodes[2])
            try writeCustomers(retail, insurance)
            let fromRetail = try ownBatches(retail), fromInsurance = try ownBatches(insurance)
            deliver(fromInsurance, to: retail, from: "insurance")
            deliver(fromRetail, to: insurance, from: "retail")
            // Another order on a third node.
            deliver(fromInsurance, to: support, from: "insurance")
            deliver(fromRetail, to: support, from: "retail")
            for node in nodes { try node.refreshProfiles() }

            let anna = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "R-1")
            let document = try #require(try retail.profileDocument(.record(anna)))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(document)) as? [String: Any])
            #expect(object["records"] as? [String] == ["insurance/I-7", "retail/R-1"])
            // The household member and the other customer are profiles of their own.
            #expect(try retail.store.allProfileBodies().count == 3)
            // Golden values carry their rule and lineage.
            let values = try #require(object["values"] as? [[String: Any]])
            let phone = try #require(values.first { $0["attribute"] as? String == "phone" })
            #expect((phone["lineage"] as? [[String: Any]])?.first?["record"] as? String == "insurance/I-7")
            let birth = try #require(values.first { $0["attribute"] as? String == "birth_date" })
            #expect(birth["rule"] as? String == "sourcePriority")
            #expect((birth["lineage"] as? [[String: Any]])?.first?["author"] as? String == "insurance")

            #expect(try bodies(retail) == bodies(insurance))
            #expect(try bodies(retail) == bodies(support))
            // Lookups by id, e-mail address, phone number and name.
            let id = try #require(object["id"] as? String)
            #expect(try retail.profileDocument(.id(id)) == document)
            #expect(try retail.searchProfiles(email: " Anna.Schmidt@Example.com ") == [id])
            #expect(try insurance.searchProfiles(phone: "+49 151 2345678") == [id])
            #expect(try retail.searchProfiles(name: "anna schmidt") == [id])
            #expect(try retail.searchProfiles(name: "schmidt").count == 2)
        }
    }

    @Test func stewardDecisionsReplicateAndOverrideScores() throws {
        try withTemporaryDirectory { directory in
            let stewards = SamplePolicy.text.replacingOccurrences(
                of: #""stewards": ["governance", "retail", "insurance", "support", "webshop"]"#, with: #""stewards": ["governance", "support"]"#)
            #expect(stewards != SamplePolicy.text)
            let nodes = try makeNodes(["retail", "insurance", "support"], in: directory, policy: Array(stewards.utf8))
            let (retail, insurance, support) = (nodes[0], nodes[1], nodes[2])
            try writeCustomers(retail, insurance)
            deliver(try ownBatches(insurance), to: retail, from: "insurance")
            deliver(try ownBatches(retail), to: support, from: "retail")
            deliver(try ownBatches(insurance), to: support, from: "insurance")
            let anna = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "R-1")
            let before = try #require(try retail.profileDocument(.record(anna)))
            let jonas = RecordKey(unchecked: UnitID(unchecked: "insurance"), localId: "I-8")
            let jonasDocument = try #require(try retail.profileDocument(.record(jonas)))
            let jonasID = try #require((try JSONSerialization.jsonObject(with: Data(jonasDocument)) as? [String: Any])?["id"] as? String)

            // Only stewards decide.
            #expect(throws: NodeError.self) { try retail.decide(pair: "retail/R-1,insurance/I-7", kind: .cannotLink, steward: "ops", reason: "") }
            try support.decide(pair: "retail/R-1,insurance/I-7", kind: .cannotLink, steward: "dana", reason: "ticket 42")
            try support.decide(pair: "retail/R-2,insurance/I-8", kind: .mustLink, steward: "dana", reason: "ticket 43")
            deliver(try ownBatches(support), to: retail, from: "support")
            try retail.refreshProfiles()
            let after = try #require(try retail.profileDocument(.record(anna)))
            #expect(after != before)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(after)) as? [String: Any])
            #expect(object["records"] as? [String] == ["retail/R-1"])
            let peter = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "R-2")
            let peterDocument = try #require(try retail.profileDocument(.record(peter)))
            let linked = try #require(try JSONSerialization.jsonObject(with: Data(peterDocument)) as? [String: Any])
            #expect(linked["records"] as? [String] == ["insurance/I-8", "retail/R-2"])
            // The merged-away id answers the profile it merged into.
            #expect(linked["id"] as? String != jonasID)
            #expect(try retail.profileDocument(.id(jonasID)) == peterDocument)
            #expect(try bodies(retail) == bodies(support))

            // Withdrawn: scores decide again.
            try support.decide(pair: "retail/R-1,insurance/I-7", kind: .withdrawn, steward: "dana", reason: "ticket 44")
            #expect(try support.profileDocument(.record(anna)) == before)
        }
    }

    @Test func incrementalStepsStoreWhatAFullRebuildStores() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance", "support"], in: directory)
            let (retail, insurance, support) = (nodes[0], nodes[1], nodes[2])
            let maintainer = ProfileMaintainer(store: retail.store, policy: retail.policy)
            #expect(try maintainer.step().full)
            try writeCustomers(retail, insurance)
            let first = try maintainer.step()
            #expect(!first.full && first.recordsTouched == 2 && first.profiles == 2)
            deliver(try ownBatches(insurance), to: retail, from: "insurance")
            let second = try maintainer.step()
            #expect(!second.full && second.recordsTouched == 2 && second.profiles == 3)
            try customer(retail, "R-1", ["phone": "+49 151 2345678"])
            try customer(retail, "R-3", ["given_name": "Ana", "family_name": "Schmit", "birth_date": "1985-03-02"])
            try support.decide(pair: "retail/R-2,insurance/I-8", kind: .mustLink, steward: "dana", reason: "ticket 43")
            deliver(try ownBatches(support).filter { $0.header.stream.shareClass == "stewardship" }, to: retail, from: "support")
            let third = try maintainer.step()
            #expect(!third.full && third.profiles == 3)
            let incremental = try bodies(retail)
            let queue = try retail.store.reviewQueue()
            #expect(!queue.isEmpty && queue.allSatisfy { $0.first.localId == "R-3" || $0.second.localId == "R-3" })
            #expect(try maintainer.step().recordsTouched == 0)
            try retail.refreshProfiles(force: true)
            #expect(try bodies(retail) == incremental)
            #expect(try retail.store.reviewQueue() == queue)
            #expect(try ProfileMaintainer.isCurrent(store: retail.store, policy: retail.policy))
            // A rebuild written one profile per transaction stores the same.
            #expect(try ProfileMaintainer(store: retail.store, policy: retail.policy, chunk: 1).step(full: true).profiles == 3)
            #expect(try bodies(retail) == incremental)
            #expect(try retail.store.reviewQueue() == queue)
            #expect(try ProfileMaintainer.isCurrent(store: retail.store, policy: retail.policy))
        }
    }

    @Test func aRestartedMaintainerOverCurrentProfilesLoadsThemWithoutRewritingAndStaysIncremental() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance"], in: directory)
            let (retail, insurance) = (nodes[0], nodes[1])
            try writeCustomers(retail, insurance)
            deliver(try ownBatches(insurance), to: retail, from: "insurance")
            try retail.refreshProfiles()
            let stored = try bodies(retail)
            let queue = try retail.store.reviewQueue()
            // What a node's profile service does after a restart.
            let restarted = ProfileMaintainer(store: retail.store, policy: retail.policy)
            let first = try restarted.step()
            #expect(first.full && first.profilesWritten == 0 && first.profiles == 3 && first.reviewPairs == queue.count)
            #expect(try bodies(retail) == stored)
            #expect(try ProfileMaintainer.isCurrent(store: retail.store, policy: retail.policy))
            // Its engine state is the loaded one: the next change is an incremental step that stores
            // what a full rebuild stores.
            try customer(retail, "R-3", ["given_name": "Ana", "family_name": "Schmit", "birth_date": "1985-03-02"])
            let next = try restarted.step()
            #expect(!next.full && next.recordsTouched == 1 && next.profilesWritten >= 1)
            let incremental = try bodies(retail)
            #expect(incremental != stored)
            try retail.refreshProfiles(force: true)
            #expect(try bodies(retail) == incremental)
            // Stale profiles (another process wrote batches it did not consolidate) are rewritten.
            try customer(retail, "R-4", ["given_name": "Jonas", "family_name": "Weber", "birth_date": "1990-07-14"])
            let rebuilt = try ProfileMaintainer(store: retail.store, policy: retail.policy).step()
            #expect(rebuilt.full && rebuilt.profilesWritten == rebuilt.profiles && rebuilt.profiles >= 3)
        }
    }
}

/// Derived profile rows go with the person.
@Suite("Profiles and erasure")
struct ProfileErasureTests {
    @Test func anErasureForgetsThePersonsProfilesAtOnce() throws {
        try withTemporaryDirectory { directory in
            let retail = try makeNodes(["retail"], in: directory)[0]
            try retail.write(localId: "R-1", values: ["given_name": .text("Anna"), "email": Value.makeSet(["anna.schmidt@example.com"])])
            try retail.write(localId: "R-2", values: ["given_name": .text("Jonas")])
            try retail.refreshProfiles()
            #expect(try retail.store.allProfileBodies().count == 2)
            _ = try retail.requestErasure([.email("anna.schmidt@example.com")], reference: "ticket 1")
            let left = try retail.store.allProfileBodies().map { String(decoding: $0.body, as: UTF8.self) }
            #expect(left.count == 1 && !left[0].contains("anna"))
            #expect(try retail.store.profileIDs(with: SearchKey(kind: "email", value: "anna.schmidt@example.com")).isEmpty)
            #expect(try !ProfileMaintainer.isCurrent(store: retail.store, policy: retail.policy))
            try retail.refreshProfiles()
            #expect(try retail.store.allProfileBodies().count == 1)
        }
    }
}

/// A consolidation computed before an erasure (on the profile service's own connection) is not
/// written after it: it may render the erased person's values.
@Suite("Profiles racing an erasure")
struct ProfileErasureRaceTests {
    @Test func profilesComputedBeforeAnErasureAreNotWrittenAfterIt() throws {
        try withTemporaryDirectory { directory in
            let retail = try makeNodes(["retail"], in: directory)[0]
            try retail.write(localId: "R-1", values: ["given_name": .text("Anna"), "email": Value.makeSet(["anna.schmidt@example.com"])])
            try retail.write(localId: "R-2", values: ["given_name": .text("Jonas")])
            try retail.refreshProfiles()
            // The profile service's connection reads the count and renders, then the erasure commits.
            let service = try Store(path: directory + "/retail/accord.sqlite")
            let before = try service.profileForgetCount()
            let rendered = try #require(try service.allProfileBodies().first { String(decoding: $0.body, as: UTF8.self).contains("Anna") })
            let stale = StoredProfile(id: rendered.id, anchor: RecordKey(unchecked: retail.unit, localId: "R-1"),
                                      members: [RecordKey(unchecked: retail.unit, localId: "R-1")], body: rendered.body,
                                      keys: [SearchKey(kind: "email", value: "anna.schmidt@example.com")])
            _ = try retail.requestErasure([.email("anna.schmidt@example.com")], reference: "ticket 2")
            #expect(try service.profileForgetCount() == before + 1)
            // Its write is refused as a whole; the erased person's values are not stored again.
            #expect(try !service.saveProfiles(removed: [], changed: [stale], reviewQueue: [], reviewScope: [], watermark: nil,
                                              unlessForgottenSince: before))
            #expect(try !service.allProfileBodies().contains { String(decoding: $0.body, as: UTF8.self).contains("Anna") })
            #expect(try service.profileIDs(with: SearchKey(kind: "email", value: "anna.schmidt@example.com")).isEmpty)
            // With the count read after the erasure, the same call writes.
            #expect(try service.saveProfiles(removed: [], changed: [], reviewQueue: [], reviewScope: [], watermark: nil,
                                             unlessForgottenSince: try service.profileForgetCount()))
            try retail.refreshProfiles()
            #expect(try retail.store.allProfileBodies().count == 1)
        }
    }
}

/// The profile document's bytes are pinned: nodes on any platform must write the very same ones.
@Suite("Profile document")
struct ProfileDocumentTests {
    @Test func theDocumentOfAProfileIsPinnedByteForByte() throws {
        try withTemporaryDirectory { directory in
            _ = try makeNodes(["retail"], in: directory)
            let node = try Node(directory: directory + "/retail", now: { 1_700_000_000_000 })
            try node.write(localId: "R-1", values: ["given_name": .text("Zoë \"Q\""), "email": Value.makeSet(["b@example.com", "a@example.com"])])
            let body = try #require(try node.profileDocument(.record(RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "R-1"))))
            let text = String(decoding: body, as: UTF8.self)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["id"] as? String)
            let lineage = #"[{"author":"retail","hlc":"1700000000000.0","record":"retail/R-1","unit":"retail","writtenAtMillis":1700000000000}]"#
            #expect(text == #"{"anchor":"retail/R-1","id":""# + id + #"","records":["retail/R-1"],"units":{"retail":["retail/R-1"]},"values":["#
                + #"{"attribute":"email","lineage":"# + lineage + #","rule":"union","value":["a@example.com","b@example.com"]},"#
                + #"{"attribute":"given_name","lineage":"# + lineage + #","rule":"mostRecent","value":"Zoë \"Q\""}]}"#)
            #expect(id == "p" + String(id.dropFirst()) && id.count == 33)
        }
    }
}
