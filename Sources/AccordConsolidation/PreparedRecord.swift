import AccordModel

/// The slots of a prepared record, in storage order.
enum Slot: Int, CaseIterable {
    case given = 0, family, birth, email, emailLocal, phone, street, postcode, city
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
