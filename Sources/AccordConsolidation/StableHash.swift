/// A fixed, platform-independent 64-bit hash (FNV-1a followed by the SplitMix64 finalizer): the same
/// bytes hash the same on every node and in every process, unlike Swift's seeded `Hasher`.
enum StableHash {
    /// FNV-1a offset basis.
    static let basis: UInt64 = 0xCBF2_9CE4_8422_2325

    /// The hash of `p`.
    @inline(__always)
    static func bytes(_ p: UnsafeBufferPointer<UInt8>, seed: UInt64 = basis) -> UInt64 {
        var h = seed
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return mix(h)
    }

    /// The hash of a string's UTF-8 bytes.
    static func string(_ text: String, seed: UInt64 = basis) -> UInt64 {
        var copy = text
        return copy.withUTF8 { bytes($0, seed: seed) }
    }

    /// Combines a hash with a 64-bit value.
    @inline(__always)
    static func combine(_ h: UInt64, _ value: UInt64) -> UInt64 {
        mix(h ^ (value &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2)))
    }

    /// The SplitMix64 finalizer.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// SplitMix64: a small seeded generator for sampling that must be the same on every node.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.mix(state)
    }

    /// A uniform integer in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
