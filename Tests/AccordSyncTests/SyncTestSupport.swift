import AccordCrypto
import AccordLedger
import AccordModel
import AccordSync

/// Deterministic pseudo-random numbers for reproducible property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
    mutating func double(in range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
}

/// Real signed batches, made once: for each of five units and three classes, a stream of
/// `batchesPerStream` batches sealed with the unit's Ed25519 key.
enum Pool {
    static let units = ["ua", "ub", "uc", "ud", "ue"].map { UnitID(unchecked: $0) }
    static let classes = ["alpha", "beta", "gamma"]
    static let batchesPerStream = 6

    static let keys: [UnitID: Ed25519PrivateKey] = Dictionary(uniqueKeysWithValues: units.map { ($0, try! Ed25519PrivateKey.generate()) })

    static let streams: [StreamID: [Batch]] = {
        var random = SplitMix64(seed: 42)
        var result: [StreamID: [Batch]] = [:]
        for unit in units {
            for shareClass in classes {
                let stream = StreamID(unchecked: unit, shareClass: shareClass)
                var head = StreamHead.empty(stream)
                var batches: [Batch] = []
                for index in 0..<batchesPerStream {
                    let leafCount = 1 + Int(random.next() % 2)
                    let bodies = (0..<leafCount).map { leaf in
                        [UInt8](repeating: UInt8(truncatingIfNeeded: index * 7 + leaf), count: 30 + Int(random.next() % 200))
                    }
                    let sealed = try! BatchSealer(maxLeaves: 4).seal(
                        bodies, continuing: head, policyVersion: 1, createdAt: HLC(physicalMillis: 1_000, logical: 0), key: keys[unit]!)
                    for verified in sealed { batches.append(verified.batch) }
                    let last = batches[batches.count - 1]
                    head = StreamHead(stream: stream, sequence: last.header.sequence, hash: last.hash)
                }
                result[stream] = batches
            }
        }
        return result
    }()

    static func stream(_ unit: Int, _ shareClass: Int) -> StreamID {
        StreamID(unchecked: units[unit], shareClass: classes[shareClass])
    }

    static func head(_ stream: StreamID, _ sequence: Int) -> StreamHead {
        sequence == 0 ? .empty(stream) : StreamHead(stream: stream, sequence: UInt64(sequence), hash: streams[stream]![sequence - 1].hash)
    }
}

extension [SyncSession.Action] {
    /// The frames among the actions, in order.
    var frames: [Frame] {
        compactMap { if case .send(let frame) = $0 { frame } else { nil } }
    }

    /// Whether the actions close the connection.
    var closes: Bool { contains { if case .close = $0 { true } else { false } } }

    /// The load requests among the actions.
    var loads: [(StreamID, UInt64, Int)] {
        compactMap { if case .loadBatches(let stream, let after, let limit) = $0 { (stream, after, limit) } else { nil } }
    }
}
