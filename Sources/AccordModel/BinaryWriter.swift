/// Appends values in Accord's canonical binary encoding: big-endian fixed-width integers,
/// minimal unsigned LEB128 varints, and length-prefixed byte strings.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer, reserving `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one byte.
    public mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }

    /// Appends a boolean as one byte, 0 or 1.
    public mutating func writeBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends a 32-bit big-endian integer.
    public mutating func writeUInt32(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a 64-bit big-endian integer.
    public mutating func writeUInt64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a 64-bit signed integer in two's complement, big-endian.
    public mutating func writeInt64(_ value: Int64) { writeUInt64(UInt64(bitPattern: value)) }

    /// Appends an unsigned LEB128 varint in its shortest form.
    public mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a varint length followed by the bytes.
    public mutating func writeBytes(_ value: some Collection<UInt8>) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends raw bytes with no length prefix (fixed-size fields such as hashes).
    public mutating func writeRaw(_ value: some Sequence<UInt8>) { bytes.append(contentsOf: value) }

    /// Appends a string as its UTF-8 bytes, length-prefixed.
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { writeBytes($0) }
    }

    /// Appends an optional value: a presence byte (0 or 1), then the value.
    public mutating func writeOptional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        if let value {
            writeUInt8(1)
            write(&self, value)
        } else {
            writeUInt8(0)
        }
    }
}
