/// Bounds-checked reader for Accord's canonical binary encoding. Every read checks the remaining
/// length and refuses non-canonical forms (over-long varints, booleans other than 0/1, invalid
/// UTF-8), throwing a ``ModelError`` that names the byte offset.
public struct BinaryReader: Sendable {
    /// Limits that protect the decoder from hostile lengths.
    public struct Limits: Sendable {
        /// Longest string or byte field accepted.
        public var maxFieldBytes: Int
        /// Largest element count accepted for a list or set.
        public var maxCount: Int
        /// Creates limits.
        public init(maxFieldBytes: Int = 1 << 16, maxCount: Int = 1 << 16) {
            self.maxFieldBytes = maxFieldBytes
            self.maxCount = maxCount
        }
    }

    private let bytes: [UInt8]
    private let end: Int
    /// The offset of the next byte to read.
    public private(set) var offset: Int
    /// The limits in force.
    public let limits: Limits

    /// Reads `bytes[start..<end]`.
    public init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil, limits: Limits = Limits()) {
        self.bytes = bytes
        self.offset = start
        self.end = end ?? bytes.count
        self.limits = limits
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= end }
    /// How many bytes are left.
    public var remaining: Int { end - offset }

    /// Throws `.trailingBytes` unless every byte was read.
    public func expectEnd(_ what: @autoclosure () -> String) throws {
        guard offset == end else {
            throw ModelError(.trailingBytes, "\(end - offset) unexpected bytes after \(what())", offset: offset)
        }
    }

    private mutating func need(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count >= 0, end - offset >= count else {
            throw ModelError(.truncated, "input ends inside \(what()) (needs \(count) bytes, \(end - offset) left)", offset: offset)
        }
    }

    /// Reads one byte.
    public mutating func readUInt8(_ what: @autoclosure () -> String) throws -> UInt8 {
        try need(1, what())
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a boolean byte; only 0 and 1 are valid.
    public mutating func readBool(_ what: @autoclosure () -> String) throws -> Bool {
        let start = offset
        switch try readUInt8(what()) {
        case 0: return false
        case 1: return true
        default: throw ModelError(.malformed, "\(what()) must be 0 or 1", offset: start)
        }
    }

    /// Reads a 32-bit big-endian integer.
    public mutating func readUInt32(_ what: @autoclosure () -> String) throws -> UInt32 {
        try need(4, what())
        var value: UInt32 = 0
        for index in offset..<offset + 4 { value = value << 8 | UInt32(bytes[index]) }
        offset += 4
        return value
    }

    /// Reads a 64-bit big-endian integer.
    public mutating func readUInt64(_ what: @autoclosure () -> String) throws -> UInt64 {
        try need(8, what())
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    /// Reads a 64-bit signed integer.
    public mutating func readInt64(_ what: @autoclosure () -> String) throws -> Int64 { Int64(bitPattern: try readUInt64(what())) }

    /// Reads a varint, refusing over-long (non-minimal) forms and values over 64 bits.
    public mutating func readVarint(_ what: @autoclosure () -> String) throws -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8(what())
            if shift == 63 && byte > 1 {
                throw ModelError(.malformed, "\(what()) overflows 64 bits", offset: start)
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 {
                    throw ModelError(.malformed, "\(what()) is not in its shortest form", offset: start)
                }
                return value
            }
            shift += 7
        }
    }

    /// Reads a count and checks it against ``Limits/maxCount`` and the bytes left (each element takes at least `minElementBytes`).
    public mutating func readCount(_ what: @autoclosure () -> String, minElementBytes: Int = 1) throws -> Int {
        let start = offset
        let raw = try readVarint(what())
        guard raw <= UInt64(limits.maxCount) else {
            throw ModelError(.limitExceeded, "\(what()) of \(raw) is over the limit of \(limits.maxCount)", offset: start)
        }
        let count = Int(raw)
        guard count * max(minElementBytes, 0) <= remaining else {
            throw ModelError(.truncated, "\(what()) of \(count) cannot fit in the \(remaining) bytes left", offset: start)
        }
        return count
    }

    /// Reads a length-prefixed byte field.
    public mutating func readBytes(_ what: @autoclosure () -> String) throws -> [UInt8] {
        let range = try readByteRange(what())
        return Array(bytes[range])
    }

    /// Reads a length-prefixed byte field and returns where it lies, without copying.
    public mutating func readByteRange(_ what: @autoclosure () -> String) throws -> Range<Int> {
        let start = offset
        let raw = try readVarint("length of \(what())")
        guard raw <= UInt64(limits.maxFieldBytes) else {
            throw ModelError(.limitExceeded, "\(what()) of \(raw) bytes is over the limit of \(limits.maxFieldBytes)", offset: start)
        }
        let count = Int(raw)
        try need(count, what())
        defer { offset += count }
        return offset..<offset + count
    }

    /// Reads exactly `count` raw bytes (fixed-size fields such as hashes).
    public mutating func readRaw(_ count: Int, _ what: @autoclosure () -> String) throws -> [UInt8] {
        try need(count, what())
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a length-prefixed UTF-8 string, refusing invalid UTF-8.
    public mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let range = try readByteRange(what())
        let text = bytes.withUnsafeBufferPointer { buffer -> String? in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            // ASCII (most identifiers and values) is valid UTF-8 as it is: skip the generic validation.
            if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
            return String(validating: slice, as: UTF8.self)
        }
        guard let text else {
            throw ModelError(.malformed, "\(what()) is not valid UTF-8", offset: start)
        }
        return text
    }

    /// Reads an optional value written by ``BinaryWriter/writeOptional(_:_:)``.
    public mutating func readOptional<T>(_ what: @autoclosure () -> String, _ read: (inout BinaryReader) throws -> T) throws -> T? {
        try readBool("presence of \(what())") ? try read(&self) : nil
    }
}
