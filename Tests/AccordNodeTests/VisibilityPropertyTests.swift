import AccordCrypto
import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import Foundation
import Testing

/// Random policies (audiences, authors, write rules) and random entries, checked against a model
/// of the rules written here, independent of `Policy`: no node stores or serves an entry of a class
/// outside its audiences, and no node accepts an entry its author may not write (issue 8).
@Suite("Visibility and write rules, random policies")
struct VisibilityPropertyTests {
    /// The rules of one random policy, as the test made them.
    struct Model {
        static let units = ["governance", "retail", "insurance", "support", "webshop"]
        static let authoring = ["retail", "insurance", "support", "webshop"]  // role "unit"
        static let classOf = ["given_name": "identity", "segment": "identity", "email": "contact", "phone": "contact",
                              "city": "contact", "iban": "financial"]
        var audiences: [String: Set<String>?] = [:]  // nil: "all"
        var authors: [String: Set<String>] = [:]  // absent: the units with role "unit"
        var rules: [(writer: String, attributes: Set<String>, owners: Set<String>?)] = []

        func inAudience(_ unit: String, _ shareClass: String) -> Bool {
            guard let audience = audiences[shareClass] else { return true }  // classes left as the sample has them
            return audience?.contains(unit) ?? true
        }

        func mayWrite(_ writer: String, owner: String, _ attribute: String) -> Bool {
            let authoring = authors[attribute].map { $0.contains(writer) } ?? Self.authoring.contains(writer)
            guard authoring else { return false }
            return writer == owner || rules.contains { $0.writer == writer && $0.attributes.contains(attribute) && ($0.owners?.contains(owner) ?? true) }
        }

        static func value(_ attribute: String, _ random: inout SplitMix) -> Value {
            switch attribute {
            case "email": .set(["p\(random.below(1000))@example.com"])
            case "phone": .set(["+4915123456\(10 + random.below(89))"])
            case "iban": .text("DE89370400440532013000")
            case "segment": .text(["standard", "premium", "business"][random.below(3)])
            case "city": .text("Berlin")
            default: .text("Name \(random.below(1000))")
            }
        }

        /// A random model and the sample policy rewritten to it.
        static func random(_ random: inout SplitMix) throws -> (Model, [UInt8]) {
            var model = Model()
            var document = try #require(try JSONSerialization.jsonObject(with: Data(samplePolicy)) as? [String: Any])
            func subset(_ from: [String]) -> Set<String> {
                var picked = Set(from.filter { _ in random.below(2) == 0 })
                if picked.isEmpty { picked.insert(from[random.below(from.count)]) }
                return picked
            }
            var classes = try #require(document["shareClasses"] as? [[String: Any]])
            for index in classes.indices {
                let name = try #require(classes[index]["name"] as? String)
                guard ["identity", "contact", "financial"].contains(name) else { continue }
                if random.below(4) == 0 {
                    model.audiences[name] = .some(nil)
                    classes[index]["audience"] = "all"
                } else {
                    let audience = subset(units)
                    model.audiences[name] = .some(audience)
                    classes[index]["audience"] = audience.sorted()
                }
            }
            document["shareClasses"] = classes
            var attributes = try #require(document["attributes"] as? [[String: Any]])
            for index in attributes.indices {
                let name = try #require(attributes[index]["name"] as? String)
                attributes[index]["authors"] = nil
                if classOf[name] != nil, random.below(2) == 0 {
                    let chosen = subset(authoring)
                    model.authors[name] = chosen
                    attributes[index]["authors"] = chosen.sorted()
                }
            }
            document["attributes"] = attributes
            var rules: [[String: Any]] = []
            for _ in 0..<random.below(4) {
                let writer = authoring[random.below(authoring.count)]
                let written = subset(Array(classOf.keys).sorted())
                let owners: Set<String>? = random.below(3) == 0 ? nil : subset(units.filter { $0 != writer })
                model.rules.append((writer, written, owners))
                var rule: [String: Any] = ["writer": writer, "attributes": written.sorted()]
                if let owners { rule["owners"] = owners.sorted() }
                rules.append(rule)
            }
            document["writeRules"] = rules
            return (model, Array(try JSONSerialization.data(withJSONObject: document)))
        }
    }

    /// A small seeded generator (SplitMix64), so a failing trial can be replayed by its seed.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Tallies of one run, so the test can show it exercised both sides of each rule.
    struct Tally {
        var applied = 0
        var refusedAudience = 0
        var refusedWrite = 0
        var localRefused = 0
        var localWritten = 0
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func noNodeStoresServesOrAcceptsWhatThePolicyForbids(seed: UInt64) throws {
        var random = SplitMix(state: seed)
        var tally = Tally()
        let (model, policy) = try Model.random(&random)
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(Model.units, in: directory, policy: policy)
            let engines = nodes.map { SyncEngine(node: $0, logger: Logger(minimum: .error)) }
            let now = Node.wallClock()
            // Local writes: a unit writes its own records only with attributes it may author.
            for (index, node) in nodes.enumerated() {
                let unit = Model.units[index]
                let attribute = Model.classOf.keys.sorted()[random.below(Model.classOf.count)]
                let allowed = model.mayWrite(unit, owner: unit, attribute)
                let written = (try? node.write(localId: "L-\(unit)", values: [attribute: Model.value(attribute, &random)])) != nil
                #expect(written == allowed, "seed \(seed): \(unit) writing its own \(attribute): written \(written), allowed \(allowed)")
                if written { tally.localWritten += 1 } else { tally.localRefused += 1 }
            }
            // Crafted batches, signed with each author's real key: one per (author, class) stream.
            for (authorIndex, author) in Model.units.enumerated() {
                let key = try Ed25519PrivateKey.read(fromFile: directory + "/\(author)/keys/signing.pem")
                for shareClass in ["identity", "contact", "financial"] {
                    let attributes = Model.classOf.filter { $0.value == shareClass }.map(\.key).sorted()
                    var leaves: [(owner: String, attribute: String)] = []
                    for _ in 0..<(1 + random.below(3)) {
                        let owner = random.below(2) == 0 ? author : Model.units[random.below(Model.units.count)]
                        leaves.append((owner, attributes[random.below(attributes.count)]))
                    }
                    let bodies = try leaves.enumerated().map { number, leaf in
                        try EntryCodec.encode(RecordWrite(
                            record: RecordKey(unchecked: UnitID(unchecked: leaf.owner), localId: "C-\(author)-\(number)"),
                            hlc: HLC(physicalMillis: now, logical: UInt16(number)),
                            changes: [(attribute: AttributeName(unchecked: leaf.attribute), value: Model.value(leaf.attribute, &random))]))
                    }
                    let stream = StreamID(unchecked: UnitID(unchecked: author), shareClass: shareClass)
                    let batch = try BatchSealer().seal(bodies, continuing: .empty(stream), policyVersion: 1,
                                                       createdAt: HLC(physicalMillis: now, logical: 0), key: key)[0].batch
                    let writable = leaves.allSatisfy { model.mayWrite(author, owner: $0.owner, $0.attribute) }
                    for (receiverIndex, receiver) in Model.units.enumerated() where receiverIndex != authorIndex {
                        // Relayed by any peer: who relays changes nothing.
                        let relay = Model.units[random.below(Model.units.count)]
                        let outcome = engines[receiverIndex].receive(batch, from: relay)
                        let expected = model.inAudience(receiver, shareClass) && writable
                        #expect((outcome == .applied) == expected,
                                "seed \(seed): \(receiver) got \(author)'s \(shareClass) batch \(leaves): \(outcome), expected applied \(expected)")
                        if outcome == .applied { tally.applied += 1 }
                        else if !model.inAudience(receiver, shareClass) { tally.refusedAudience += 1 } else { tally.refusedWrite += 1 }
                    }
                }
            }
            // What every node holds and would serve: nothing outside the audiences.
            for (index, unit) in Model.units.enumerated() {
                for head in try engines[index].heads() where head.sequence > 0 {
                    let author = head.stream.author.rawValue
                    #expect(author == unit || model.inAudience(unit, head.stream.shareClass),
                            "seed \(seed): \(unit) holds \(head.stream) outside its audiences")
                    for peer in Model.units where peer != unit {
                        #expect(engines[index].mayReceive(peer, head.stream) == model.inAudience(peer, head.stream.shareClass),
                                "seed \(seed): \(unit) would serve \(head.stream) to \(peer) wrongly")
                    }
                }
                for owner in Model.units {
                    for record in try nodes[index].recordKeys(owner: UnitID(unchecked: owner), limit: 1000) {
                        let view = try #require(try nodes[index].record(localId: record.localId, owner: record.unit))
                        for attribute in view.attributes where attribute.author != unit {
                            let shareClass = Model.classOf[attribute.attribute] ?? "?"
                            #expect(model.inAudience(unit, shareClass), "seed \(seed): \(unit) stores \(attribute.attribute) of \(attribute.author)")
                            #expect(model.mayWrite(attribute.author, owner: owner, attribute.attribute),
                                    "seed \(seed): \(unit) stores \(attribute.author)'s \(attribute.attribute) on \(owner)'s record")
                        }
                    }
                }
            }
        }
        // Every trial applies some batches and refuses some; the rules were exercised both ways.
        #expect(tally.applied > 0 && tally.refusedAudience + tally.refusedWrite > 0, "seed \(seed): \(tally)")
    }
}
