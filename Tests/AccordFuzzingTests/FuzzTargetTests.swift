import AccordFuzzing
import Foundation
import Testing

/// The fuzz targets in the test suite: every kept corpus file and crasher replays without failure,
/// and a deterministic mutation run over the seeds (bit flips, truncations, insertions, splices)
/// keeps every oracle. libFuzzer runs the same targets for longer (`ops/fuzz.sh`).
@Suite("Fuzz targets")
struct FuzzTargetTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// Files kept under `Tests/Fuzz/Corpus/<target>` and `Tests/Fuzz/Crashers/<target>`.
    static func keptInputs(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        var result: [(String, [UInt8])] = []
        for kind in ["Corpus", "Crashers"] {
            let folder = directory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                result.append(("\(kind)/\(target.rawValue)/\(name)", [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))))
            }
        }
        return result
    }

    @Test("the first seed of every target is a valid input", arguments: FuzzTarget.allCases)
    func seedsPass(target: FuzzTarget) throws {
        let seeds = try FuzzSeeds.inputs(for: target)
        #expect(target.run(seeds[0]))
        for seed in seeds.dropFirst() { target.run(seed) }
    }

    @Test("kept corpus and crashers replay", arguments: FuzzTarget.allCases)
    func keptInputsReplay(target: FuzzTarget) throws {
        for input in try Self.keptInputs(target) { target.run(input.bytes) }
    }

    @Test("mutations of the seeds keep every oracle", arguments: FuzzTarget.allCases)
    func mutationsPass(target: FuzzTarget) throws {
        // Mutate the seeds (valid inputs); splice in pieces of the kept corpus too.
        let seeds = try FuzzSeeds.inputs(for: target)
        let partners = seeds + (try Self.keptInputs(target).map(\.bytes))
        var random = Mutator(seed: 0x5EED ^ UInt64(target.rawValue.utf8.count))
        var accepted = 0
        for _ in 0..<3_000 {
            let base = seeds[random.below(seeds.count)]
            let other = partners[random.below(partners.count)]
            if target.run(random.mutate(base, splicing: other)) { accepted += 1 }
        }
        // Some mutants must still be accepted, or the oracles past the refusals were never run.
        #expect(accepted > 0, "no mutant of \(target.rawValue) was accepted")
    }
}

/// Deterministic mutations in the spirit of libFuzzer's.
struct Mutator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// One to four random edits of `input`.
    mutating func mutate(_ input: [UInt8], splicing other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) {
            switch below(6) {
            case 0 where !bytes.isEmpty: bytes[below(bytes.count)] ^= UInt8(1 << below(8))
            case 1 where !bytes.isEmpty: bytes.removeLast(below(bytes.count) + 1)
            case 2: bytes.insert(UInt8(truncatingIfNeeded: next()), at: below(bytes.count + 1))
            case 3 where !bytes.isEmpty: bytes[below(bytes.count)] = [0, 0xFF, 0x7F, 0x80, 0x01][below(5)]
            case 4 where !other.isEmpty:
                let cut = below(bytes.count + 1)
                bytes = Array(bytes[..<cut]) + Array(other[below(other.count)...])
            default:
                if !bytes.isEmpty { bytes.remove(at: below(bytes.count)) }
            }
        }
        return bytes
    }
}
