/// Counts of byte classes of a string (26 letters, digits, 5 classes for everything else): the sum
/// of element-wise minima of two signatures bounds how many characters two strings have in common.
struct LetterSignature: Sendable, Equatable {
    var counts: SIMD32<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var counts = SIMD32<UInt8>()
        for b in bytes {
            let lane: Int
            switch b {
            case 0x61...0x7A: lane = Int(b - 0x61)
            case 0x30...0x39: lane = 26
            default: lane = 27 + Int(b % 5)
            }
            counts[lane] &+= counts[lane] == 255 ? 0 : 1
        }
        self.counts = counts
    }

    /// An upper bound of the characters two strings share (`Int.max` when a class count saturated).
    @inline(__always)
    func common(_ other: LetterSignature) -> Int {
        let least = pointwiseMin(counts, other.counts)
        if any(least .== 255) { return Int.max }
        return Int(SIMD32<UInt16>(truncatingIfNeeded: least).wrappedSum())
    }
}
