import AccordModel

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
