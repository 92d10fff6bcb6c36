public import AccordModel

/// A profile's identifier: derived from the key of the cluster's anchor record (its earliest-created
/// record, ties broken by record key), so every node computes the same id from the same entries in
/// any arrival order; written `p` followed by 32 hexadecimal digits.
public struct ProfileID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 128 bits of the id.
    public let high: UInt64
    /// See ``high``.
    public let low: UInt64

    /// The id of a cluster anchored on `anchor`: two independent 64-bit stable hashes of
    /// `unit 0x00 localId`.
    public init(anchor: RecordKey) {
        var bytes = Array(anchor.unit.rawValue.utf8)
        bytes.append(0)
        bytes.append(contentsOf: anchor.localId.utf8)
        (high, low) = bytes.withUnsafeBufferPointer {
            (StableHash.bytes($0, seed: 0x243F_6A88_85A3_08D3), StableHash.bytes($0, seed: 0x1319_8A2E_0370_7344))
        }
    }

    /// Parses `p` followed by 32 hexadecimal digits (lower or upper case).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        let isHex = { (b: UInt8) in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }
        guard bytes.count == 33, bytes[0] == UInt8(ascii: "p"), bytes.dropFirst().allSatisfy(isHex),
            let high = UInt64(String(decoding: bytes[1..<17], as: UTF8.self), radix: 16),
            let low = UInt64(String(decoding: bytes[17...], as: UTF8.self), radix: 16)
        else { return nil }
        self.high = high
        self.low = low
    }

    /// `p` and 32 lower-case hexadecimal digits.
    public var description: String {
        func hex(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "p" + hex(high) + hex(low)
    }

    /// Numeric order.
    public static func < (lhs: ProfileID, rhs: ProfileID) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}
