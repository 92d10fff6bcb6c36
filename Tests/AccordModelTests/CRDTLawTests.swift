import AccordModel
import AccordSampleData
import Testing

/// The join-semilattice laws of registers and replicas, checked over seeded random data. Every
/// failure message names the seed; replay it with `SeededGenerator(seed:)`.
@Suite("CRDT laws")
struct CRDTLawTests {
    static let seeds: Range<UInt64> = 0..<2_500
    static let casesPerSeed = 4

    private func join(_ a: EntryState, _ b: EntryState) -> EntryState {
        var result = a
        result.merge(b)
        return result
    }

    // MARK: Register

    @Test("Register.merged(with:) is commutative, associative and idempotent")
    func registerLaws() {
        var cases = 0
        for seed in Self.seeds {
            var g = SeededGenerator(seed: seed)
            for _ in 0..<Self.casesPerSeed {
                let a = Gen.register(&g), b = Gen.register(&g), c = Gen.register(&g)
                let ab = a.merged(with: b), ba = b.merged(with: a)
                #expect(ab == ba && registerBytes(ab) == registerBytes(ba), "commutativity, seed \(seed)")
                let left = a.merged(with: b).merged(with: c), right = a.merged(with: b.merged(with: c))
                #expect(left == right && registerBytes(left) == registerBytes(right), "associativity, seed \(seed)")
                #expect(registerBytes(a.merged(with: a)) == registerBytes(a), "idempotence, seed \(seed)")
                #expect(ab == a || ab == b, "the merge is one of its inputs, seed \(seed)")
                cases += 1
            }
        }
        #expect(cases >= 10_000)
    }

    @Test("Register.wins(over:) is a strict total order on distinct registers with equal clock readings")
    func registerWinsIsStrictTotalOrder() {
        let hlc = HLC(physicalMillis: 1_000, logical: 0)
        var cases = 0
        for seed in Self.seeds {
            var g = SeededGenerator(seed: seed)
            for _ in 0..<Self.casesPerSeed {
                let a = Register(hlc: hlc, value: Gen.value(&g))
                let b = Register(hlc: hlc, value: Gen.value(&g))
                let c = Register(hlc: hlc, value: Gen.value(&g))
                #expect(!a.wins(over: a), "irreflexive, seed \(seed)")
                let distinct = registerBytes(a) != registerBytes(b)
                if distinct {
                    #expect(a.wins(over: b) != b.wins(over: a), "exactly one of two distinct registers wins, seed \(seed)")
                } else {
                    #expect(!a.wins(over: b) && !b.wins(over: a), "equal registers do not win, seed \(seed)")
                }
                #expect(a.wins(over: b) == a.wins(over: b), "deterministic, seed \(seed)")
                if a.wins(over: b) && b.wins(over: c) {
                    #expect(a.wins(over: c), "transitive, seed \(seed)")
                }
                cases += 1
            }
        }
        #expect(cases >= 10_000)
    }

    @Test("A greater clock reading always wins, whatever the values")
    func greaterClockWins() {
        for seed in Self.seeds {
            var g = SeededGenerator(seed: seed)
            let a = Gen.register(&g), b = Gen.register(&g)
            guard a.hlc != b.hlc else { continue }
            #expect(a.wins(over: b) == (a.hlc > b.hlc), "seed \(seed)")
            #expect(b.wins(over: a) == (b.hlc > a.hlc), "seed \(seed)")
        }
    }

    @Test("A deletion is a register like any other: a later write revives, a later deletion deletes")
    func deletionIsOrderedByClock() {
        let early = HLC(physicalMillis: 1, logical: 0), late = HLC(physicalMillis: 2, logical: 0)
        let write = Register(hlc: early, value: .text("x")), deletion = Register(hlc: late, value: nil)
        #expect(write.merged(with: deletion) == deletion)
        #expect(deletion.merged(with: write) == deletion)
        let revived = Register(hlc: HLC(physicalMillis: 3, logical: 0), value: .text("y"))
        #expect(deletion.merged(with: revived) == revived)
    }

    // MARK: EntryState

    @Test("EntryState.merge is commutative, associative and idempotent")
    func entryStateLaws() {
        var cases = 0
        for seed in Self.seeds {
            var g = SeededGenerator(seed: seed)
            for _ in 0..<Self.casesPerSeed {
                let a = Gen.entryState(&g), b = Gen.entryState(&g), c = Gen.entryState(&g)
                // `==` on replicas compares values byte-wise; the digest double-checks the bytes.
                let ab = join(a, b), ba = join(b, a)
                #expect(ab == ba && digest(ab) == digest(ba), "commutativity, seed \(seed)")
                let left = join(ab, c), right = join(a, join(b, c))
                #expect(left == right, "associativity, seed \(seed)")
                let aa = join(a, a)
                #expect(aa == a, "idempotence, seed \(seed)")
                var again = ab
                let changedAgain = again.merge(b)
                #expect(!changedAgain && again == ab, "re-merging changes nothing, seed \(seed)")
                cases += 1
            }
        }
        #expect(cases >= 10_000)
    }

    @Test("Replicas converge whatever the delivery order, duplications and losses")
    func convergence() {
        // Seven checks per seed.
        var cases = 0
        for seed in UInt64(0)..<1_500 {
            var g = SeededGenerator(seed: seed)
            let writes = (0..<Int.random(in: 1...12, using: &g)).map { _ in (write: Gen.recordWrite(&g), author: Gen.unit(&g)) }

            var reference = EntryState()
            for item in writes { reference.merge(item.write, author: item.author) }
            let expected = digest(reference)

            // The same writes as individual entries give the same replica.
            var byEntry = EntryState()
            for item in writes { for entry in item.write.entries(author: item.author) { byEntry.merge(entry) } }
            #expect(byEntry == reference && digest(byEntry) == expected, "entries vs writes, seed \(seed)")

            for _ in 0..<Self.casesPerSeed - 1 {
                // Random order with random duplications.
                var delivery = writes
                for _ in 0..<Int.random(in: 0...writes.count, using: &g) { delivery.append(Gen.pick(writes, &g)) }
                delivery.shuffle(using: &g)
                var replica = EntryState()
                for item in delivery { replica.merge(item.write, author: item.author) }
                #expect(replica == reference && digest(replica) == expected, "order and duplication, seed \(seed)")

                // Random losses, then re-delivery of what was lost (itself shuffled and duplicated).
                var lost: [(write: RecordWrite, author: UnitID)] = []
                var lossy = EntryState()
                for item in delivery {
                    if Int.random(in: 0..<3, using: &g) == 0 {
                        lost.append(item)
                    } else {
                        lossy.merge(item.write, author: item.author)
                    }
                }
                lost += lost.filter { _ in Bool.random(using: &g) }
                lost.shuffle(using: &g)
                for item in lost { lossy.merge(item.write, author: item.author) }
                // `delivery` contains every write, so each one has now arrived at least once.
                #expect(lossy == reference && digest(lossy) == expected, "loss and re-delivery, seed \(seed)")
                cases += 2
            }

            // Two replicas that each saw half exchange their states and agree.
            let split = Int.random(in: 0...writes.count, using: &g)
            var left = EntryState(), right = EntryState()
            for item in writes[..<split] { left.merge(item.write, author: item.author) }
            for item in writes[split...] { right.merge(item.write, author: item.author) }
            let leftThenRight = join(left, right), rightThenLeft = join(right, left)
            #expect(digest(leftThenRight) == expected && digest(rightThenLeft) == expected, "state exchange, seed \(seed)")
            cases += 1
        }
        #expect(cases >= 10_000)
    }

    @Test("merge(_:author:) reports a change exactly when the replica changes")
    func mergeReportsChange() {
        for seed in Self.seeds {
            var g = SeededGenerator(seed: seed)
            var state = Gen.entryState(&g)
            let write = Gen.recordWrite(&g), author = Gen.unit(&g)
            let before = digest(state)
            let changed = state.merge(write, author: author)
            #expect(changed == (digest(state) != before), "seed \(seed)")
        }
    }
}
