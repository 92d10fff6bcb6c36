/// A small direct-mapped cache of name-pair levels, one per worker thread.
// @unchecked: each instance is used by one thread only (created inside the thread's chunk).
final class NameLevelCache: @unchecked Sendable {
    private static let size = 1 << 16
    private var keys = [UInt64](repeating: UInt64.max, count: NameLevelCache.size)
    private var levels = [UInt8](repeating: 0, count: NameLevelCache.size)

    /// The level of names `x` and `y` (in either order), computed by `compute` on a miss.
    @inline(__always)
    func level(_ x: Int32, _ y: Int32, _ given: Bool, _ compute: () -> UInt8) -> UInt8 {
        let (low, high) = x < y ? (x, y) : (y, x)
        let key = UInt64(UInt32(low)) << 33 | UInt64(UInt32(high)) << 1 | (given ? 1 : 0)
        let slot = Int(truncatingIfNeeded: StableHash.mix(key)) & (NameLevelCache.size - 1)
        if keys[slot] == key { return levels[slot] }
        let level = compute()
        keys[slot] = key
        levels[slot] = level
        return level
    }
}
