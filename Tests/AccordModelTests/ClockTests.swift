import AccordModel
import AccordSampleData
import Testing

@Suite("Hybrid logical clock")
struct ClockTests {
    @Test("HLC packs physical time and logical counter so that integer order is clock order")
    func packing() {
        let reading = HLC(physicalMillis: 1_700_000_000_000, logical: 7)
        #expect(reading.physicalMillis == 1_700_000_000_000)
        #expect(reading.logical == 7)
        #expect(reading.description == "1700000000000.7")
        #expect(HLC(physicalMillis: 5, logical: UInt16.max) < HLC(physicalMillis: 6, logical: 0))
        #expect(HLC(physicalMillis: 5, logical: 1) < HLC(physicalMillis: 5, logical: 2))
        #expect(HLC.zero.rawValue == 0)
    }

    @Test("tick uses the wall clock when it moves forward")
    func tickFollowsWallClock() {
        var clock = HybridClock()
        let tick1 = clock.tick(now: 1_000)
        #expect(tick1 == HLC(physicalMillis: 1_000, logical: 0))
        let tick2 = clock.tick(now: 1_005)
        #expect(tick2 == HLC(physicalMillis: 1_005, logical: 0))
        #expect(clock.last == HLC(physicalMillis: 1_005, logical: 0))
    }

    @Test("tick is strictly increasing when the wall clock stays equal or goes backwards")
    func tickStrictlyIncreasing() {
        var clock = HybridClock()
        let first = clock.tick(now: 1_000)
        let same = clock.tick(now: 1_000)
        let back = clock.tick(now: 400)
        #expect(first < same && same < back)
        #expect(same == HLC(physicalMillis: 1_000, logical: 1))
        #expect(back == HLC(physicalMillis: 1_000, logical: 2))
    }

    @Test("tick is strictly increasing over a seeded random walk of the wall clock")
    func tickRandomWalk() {
        for seed in UInt64(0)..<200 {
            var g = SeededGenerator(seed: seed)
            var clock = HybridClock()
            var now: UInt64 = 1_000_000
            var previous = HLC.zero
            for _ in 0..<200 {
                // Mostly small steps either way, or standing still.
                now = UInt64(Int64(now) + Int64.random(in: -5...5, using: &g))
                let reading = clock.tick(now: now)
                #expect(reading > previous, "seed \(seed)")
                #expect(reading >= HLC(physicalMillis: now, logical: 0), "never behind the wall clock, seed \(seed)")
                #expect(clock.last == reading, "seed \(seed)")
                previous = reading
            }
        }
    }

    @Test("When the logical counter is full, tick moves to the next millisecond")
    func logicalOverflow() {
        var clock = HybridClock(last: HLC(physicalMillis: 1_000, logical: UInt16.max - 1))
        let tick3 = clock.tick(now: 1_000)
        #expect(tick3 == HLC(physicalMillis: 1_000, logical: UInt16.max))
        let tick4 = clock.tick(now: 1_000)
        #expect(tick4 == HLC(physicalMillis: 1_001, logical: 0))
        let tick5 = clock.tick(now: 999)
        #expect(tick5 == HLC(physicalMillis: 1_001, logical: 1))

        // A full run of 70,000 ticks in one frozen millisecond stays strictly increasing.
        var frozen = HybridClock()
        var previous = HLC.zero
        for _ in 0..<70_000 {
            let reading = frozen.tick(now: 50)
            guard reading > previous else {
                Issue.record("tick went from \(previous) to \(reading)")
                return
            }
            previous = reading
        }
        #expect(previous == HLC(physicalMillis: 51, logical: UInt16(70_000 - 65_536 - 1)))
    }

    @Test("observe advances the clock past a remote reading")
    func observeAdvances() throws {
        var clock = HybridClock()
        _ = clock.tick(now: 1_000)
        let remote = HLC(physicalMillis: 1_040, logical: 9)
        try clock.observe(remote, now: 1_000, maxFutureMillis: 60_000)
        #expect(clock.last == remote)
        let next = clock.tick(now: 1_000)
        #expect(next > remote)
        #expect(next == HLC(physicalMillis: 1_040, logical: 10))
    }

    @Test("observe of an older remote reading leaves the clock where it is")
    func observeOlder() throws {
        var clock = HybridClock()
        let mine = clock.tick(now: 2_000)
        try clock.observe(HLC(physicalMillis: 1_000, logical: 3), now: 2_000, maxFutureMillis: 100)
        #expect(clock.last == mine)
        let tick6 = clock.tick(now: 2_000)
        #expect(tick6 > mine)
    }

    @Test("A remote reading beyond now + maxFutureMillis throws clockSkew and leaves last unchanged")
    func observeSkew() throws {
        var clock = HybridClock()
        let mine = clock.tick(now: 1_000)
        // Exactly at the bound is accepted.
        var atBound = clock
        try atBound.observe(HLC(physicalMillis: 1_500, logical: UInt16.max), now: 1_000, maxFutureMillis: 500)
        #expect(atBound.last == HLC(physicalMillis: 1_500, logical: UInt16.max))
        // One millisecond beyond is refused.
        let error = #expect(throws: ModelError.self) {
            try clock.observe(HLC(physicalMillis: 1_501, logical: 0), now: 1_000, maxFutureMillis: 500)
        }
        #expect(error?.code == .clockSkew)
        #expect(clock.last == mine)
        let tick7 = clock.tick(now: 1_000)
        #expect(tick7 == HLC(physicalMillis: 1_000, logical: 1))
    }

    @Test("A huge maxFutureMillis does not overflow into a refusal")
    func observeHugeBound() throws {
        var clock = HybridClock()
        let remote = HLC(physicalMillis: (1 << 48) - 1, logical: 0)
        try clock.observe(remote, now: 1_000, maxFutureMillis: UInt64.max)
        #expect(clock.last == remote)
    }

    @Test("A clock re-created from last continues strictly above it when the wall clock is behind")
    func restart() throws {
        var clock = HybridClock()
        _ = clock.tick(now: 10_000)
        try clock.observe(HLC(physicalMillis: 10_050, logical: 4), now: 10_000, maxFutureMillis: 1_000)
        let persisted = clock.last

        // The node restarts with a wall clock that jumped back.
        var restarted = HybridClock(last: persisted)
        #expect(restarted.last == persisted)
        var previous = persisted
        for now in [UInt64(9_000), 9_000, 10_050, 5] {
            let reading = restarted.tick(now: now)
            #expect(reading > previous)
            previous = reading
        }
        let tick8 = restarted.tick(now: 20_000)
        #expect(tick8 == HLC(physicalMillis: 20_000, logical: 0))
    }
}
