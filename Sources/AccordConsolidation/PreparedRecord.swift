import AccordModel

/// The slots of a prepared record, in storage order.
enum Slot: Int, CaseIterable {
    case given = 0, family, birth, email, emailLocal, phone, street, postcode, city
}

/// A record's matching values after normalization, before interning: one byte buffer and a span
/// per value, sorted by slot and then bytes, without duplicates, at most ``limit`` values per slot.
/// Built on any thread; a pure function of the record and the settings.
struct NormalizedRecord: Sendable {
    /// At most this many values per slot are kept (the byte-wise smallest), so that a record with a
    /// hundred phone numbers cannot blow up blocking.
    static let limit = 8

    /// One value.
    struct Span: Sendable {
        var slot: UInt8
        var start: UInt32
        var count: UInt32
    }

    let key: RecordKey
    let created: HLC
    var bytes: [UInt8] = []
    var spans: [Span] = []

    init(key: RecordKey, created: HLC) {
        self.key = key
        self.created = created
    }

    /// Appends a value of `slot` (ignored if empty).
    mutating func append(_ slot: Slot, _ value: some Collection<UInt8>) {
        guard !value.isEmpty else { return }
        let start = UInt32(bytes.count)
        bytes.append(contentsOf: value)
        spans.append(Span(slot: UInt8(slot.rawValue), start: start, count: UInt32(value.count)))
    }

    /// Sorts the spans by slot and bytes, drops duplicates and values over the per-slot limit.
    mutating func finish() {
        bytes.withUnsafeBufferPointer { p in
            func view(_ s: Span) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: p[Int(s.start)..<Int(s.start + s.count)])
            }
            spans.sort { l, r in
                l.slot != r.slot ? l.slot < r.slot : view(l).lexicographicallyPrecedes(view(r))
            }
            var kept: [Span] = []
            kept.reserveCapacity(spans.count)
            var perSlot = 0
            for span in spans {
                if let last = kept.last, last.slot == span.slot {
                    if view(last).elementsEqual(view(span)) { continue }
                    perSlot += 1
                } else {
                    perSlot = 1
                }
                if perSlot <= Self.limit { kept.append(span) }
            }
            spans = kept
        }
    }
}

/// A record as the resolver holds it: interned value ids per slot (birth dates as the number
/// `YYYYMMDD`), in one array with the end of each slot's run.
struct PreparedRecord: Sendable {
    let key: RecordKey
    let created: HLC
    let values: [Int32]
    /// `ends[slot]` is one past the slot's last value; the slot starts at `ends[slot - 1]` (or 0).
    let ends: SIMD16<UInt8>

    init(key: RecordKey, created: HLC, values: [Int32], ends: SIMD16<UInt8>) {
        self.key = key
        self.created = created
        self.values = values
        self.ends = ends
    }

    /// The index range of a slot's values.
    @inline(__always)
    func range(_ slot: Slot) -> Range<Int> {
        let i = slot.rawValue
        return (i == 0 ? 0 : Int(ends[i - 1]))..<Int(ends[i])
    }

    /// A slot's values.
    @inline(__always)
    func values(_ slot: Slot) -> ArraySlice<Int32> { values[range(slot)] }

    /// Whether a slot holds no value.
    @inline(__always)
    func isEmpty(_ slot: Slot) -> Bool { range(slot).isEmpty }
}
