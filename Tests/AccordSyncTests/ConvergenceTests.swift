import AccordLedger
import AccordModel
import AccordSync
import Testing

@Suite("Sync convergence")
struct ConvergenceTests {
    enum Topology: String, CaseIterable { case mesh, hub }

    struct Outcome {
        var network: SimulatedNetwork
        var expected: [[StreamID: Int]]
    }

    /// Builds 2 to 5 replicas with random class filters and authored streams, runs a lossy,
    /// reordering, disconnecting network, heals it, and returns what every replica should hold:
    /// a stream reaches a replica when a chain of links from its author passes only replicas
    /// allowed to receive it.
    static func simulate(seed: UInt64, topology: Topology) -> Outcome {
        var random = SplitMix64(seed: seed &* 7919 &+ (topology == .hub ? 1 : 0))
        let count = 2 + Int(random.next() % 4)
        let nodes = (0..<count).map { index in
            FakeNode(index: index, classes: Set(Pool.classes.filter { _ in random.chance(0.6) }))
        }
        var authored: [Int: [StreamID]] = [:]
        for node in nodes {
            for shareClass in Pool.classes where random.chance(0.5) {
                let stream = StreamID(unchecked: node.unit, shareClass: shareClass)
                authored[node.index, default: []].append(stream)
                for _ in 0..<Int(random.next() % 4) { _ = node.author(stream) }
            }
        }
        let links: [(Int, Int)] =
            switch topology {
            case .mesh: (0..<count).flatMap { a in (a + 1..<count).map { (a, $0) } }
            case .hub: (1..<count).map { (0, $0) }
            }
        let window = 1_000 + Int(random.next() % 2_000)
        let perRequest = 1 + Int(random.next() % 4)
        let network = SimulatedNetwork(nodes: nodes, links: links, seed: random.next()) { unit in
            .init(
                localUnit: unit, maxInFlightBytes: window, maxBatchesPerRequest: perRequest, pingInterval: 2,
                idleTimeout: 6, summaryInterval: 3, resendTimeout: 4)
        }
        for node in nodes where authored[node.index] != nil {
            for _ in 0..<4 { network.schedule(.author(node: node.index), at: random.double(in: 0...28)) }
            network.schedule(.author(node: node.index), at: random.double(in: 31...35))
        }
        network.schedule(.heal, at: 30)
        network.run(until: 70)

        // Where each stream can reach, by the audience rule over the links.
        var holds = nodes.map { node in Set(node.streams.keys.filter { $0.author == node.unit }) }
        var changed = true
        while changed {
            changed = false
            for (a, b) in links {
                for (from, to) in [(a, b), (b, a)] {
                    for stream in holds[from] where nodes[to].mayReceive(stream) && !holds[to].contains(stream) {
                        holds[to].insert(stream)
                        changed = true
                    }
                }
            }
        }
        let expected = holds.map { streams in
            Dictionary(uniqueKeysWithValues: streams.map { stream in
                (stream, nodes.first { $0.unit == stream.author }!.streams[stream]!.count)
            })
        }
        return Outcome(network: network, expected: expected)
    }

    @Test(arguments: Topology.allCases)
    func replicasConvergeToExactlyWhatTheyMayReceive(topology: Topology) {
        var lost = 0
        var duplicated = 0
        var sessions = 0
        for seed in UInt64(1)...40 {
            let outcome = Self.simulate(seed: seed, topology: topology)
            let network = outcome.network
            lost += network.framesLost
            duplicated += network.framesDuplicated
            sessions += network.sessionsStarted
            for node in network.nodes {
                let held = node.streams.mapValues(\.count)
                #expect(held == outcome.expected[node.index], "seed \(seed) \(topology): \(node.unit) holds \(held), expected \(outcome.expected[node.index])")
                #expect(node.isConsistent, "seed \(seed): \(node.unit) applied out of order")
            }
            let refusalsAfterHeal = network.nodes.reduce(0) { $0 + $1.refusals.count } - network.refusalsAtHeal
            #expect(refusalsAfterHeal == 0, "seed \(seed) \(topology): batches refused on a healthy network")
            #expect(network.rejectsAfterHeal == 0 && network.closesAfterHeal == 0, "seed \(seed) \(topology)")
            #expect(network.flowViolations == 0, "seed \(seed) \(topology): more than the window in flight")
            #expect(network.harnessFlowViolations == 0, "seed \(seed) \(topology): more than the window unacknowledged")
            #expect(network.isQuiet, "seed \(seed) \(topology): not settled")
        }
        // The chaos really happened.
        #expect(lost > 20 && duplicated > 20)
        #expect(sessions > 40 * 4)
    }
}
