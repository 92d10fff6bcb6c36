/// Interned byte strings: each distinct string is stored once in one arena and named by a dense
/// `Int32` id, so records hold ids (exact agreement is an integer comparison) and comparators read
/// the bytes without a Swift string per value.
///
/// Ids depend on the order strings arrive and are therefore never used for ordering or anything
/// else observable: only for equality and as an index into per-value side tables. Strings are never
/// removed (a value no record holds any more stays until the resolver is rebuilt).
struct StringPool: Sendable {
    private var bytes: [UInt8] = []
    /// `ends[id]` is one past the last byte of string `id`; it starts at `ends[id - 1]` (or 0).
    private var ends: [UInt32] = []
    /// Open-addressing hash table of ids (`-1` empty), size a power of two.
    private var table: [Int32] = [Int32](repeating: -1, count: 1024)
    private var hashes: [UInt64] = []

    /// Number of strings.
    var count: Int { ends.count }

    /// The id of `p`, interning it if new.
    mutating func intern(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = StableHash.bytes(p)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash, equals(id, p) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(ends.count)
        bytes.append(contentsOf: p)
        ends.append(UInt32(bytes.count))
        hashes.append(hash)
        table[slot] = id
        if ends.count * 2 > table.count { grow() }
        return id
    }

    /// The id of `bytes`, interning them if new.
    mutating func intern(_ value: [UInt8]) -> Int32 { value.withUnsafeBufferPointer { intern($0) } }

    /// The id of `p` if interned.
    func find(_ p: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = StableHash.bytes(p)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { return nil }
            if hashes[Int(id)] == hash, equals(id, p) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The stable hash of string `id` (``StableHash/bytes(_:)`` of its bytes).
    func hash(_ id: Int32) -> UInt64 { hashes[Int(id)] }

    /// Calls `body` with the bytes of string `id`.
    @inline(__always)
    func withBytes<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let end = Int(ends[Int(id)])
        let start = id == 0 ? 0 : Int(ends[Int(id) - 1])
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// String `id` as a Swift string.
    func string(_ id: Int32) -> String { withBytes(id) { String(decoding: $0, as: UTF8.self) } }

    /// Length in bytes of string `id`.
    func length(_ id: Int32) -> Int {
        Int(ends[Int(id)]) - (id == 0 ? 0 : Int(ends[Int(id) - 1]))
    }

    private func equals(_ id: Int32, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(id) { $0.count == p.count && $0.elementsEqual(p) }
    }

    private mutating func grow() {
        var next = [Int32](repeating: -1, count: table.count * 2)
        let mask = next.count - 1
        for id in 0..<ends.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while next[slot] >= 0 { slot = (slot + 1) & mask }
            next[slot] = Int32(id)
        }
        table = next
    }
}
