/// Byte-level helpers for UTF-8 text: whitespace, control characters, trimming.
enum ByteScan {
    /// Whether `b` is ASCII whitespace that normalizers trim and collapse (space, TAB, LF, VT, FF, CR).
    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }

    /// Length in bytes of a non-ASCII Unicode space starting at `i` (0 if none).
    /// Covers U+00A0, U+1680, U+2000...U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
    @inline(__always)
    static func unicodeSpaceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let b = p[i]
        if b == 0xC2 {
            return i + 1 < end && p[i + 1] == 0xA0 ? 2 : 0
        }
        guard i + 2 < end else { return 0 }
        let b1 = p[i + 1], b2 = p[i + 2]
        switch b {
        case 0xE1: return b1 == 0x9A && b2 == 0x80 ? 3 : 0
        case 0xE2:
            if b1 == 0x80 && (b2 <= 0x8B || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { return 3 }
            if b1 == 0x81 && b2 == 0x9F { return 3 }
            return 0
        case 0xE3: return b1 == 0x80 && b2 == 0x80 ? 3 : 0
        case 0xEF: return b1 == 0xBB && b2 == 0xBF ? 3 : 0
        default: return 0
        }
    }

    /// Length of any whitespace (ASCII or Unicode) ending just before `end` (0 if none).
    @inline(__always)
    static func spaceLengthBefore(_ p: UnsafeBufferPointer<UInt8>, end: Int, start: Int) -> Int {
        let last = p[end - 1]
        if last < 0x80 { return isASCIISpace(last) ? 1 : 0 }
        if end - 2 >= start, p[end - 2] == 0xC2, last == 0xA0 { return 2 }
        if end - 3 >= start, unicodeSpaceLength(p, at: end - 3, end: end) == 3 { return 3 }
        return 0
    }

    /// The range of `p` without leading and trailing whitespace.
    @inline(__always)
    static func trim(_ p: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var s = 0, e = p.count
        while s < e {
            let b = p[s]
            if b < 0x80 {
                if isASCIISpace(b) { s += 1; continue }
                break
            }
            let n = unicodeSpaceLength(p, at: s, end: e)
            if n == 0 { break }
            s += n
        }
        while e > s {
            let n = spaceLengthBefore(p, end: e, start: s)
            if n == 0 { break }
            e -= n
        }
        return s..<e
    }

    /// Whether a non-ASCII sequence at `i` is a C1 control character (U+0080...U+009F) or the
    /// replacement character U+FFFD (a sign of invalid UTF-8 in the source).
    @inline(__always)
    static func isBadNonASCII(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        let b = p[i]
        if b == 0xC2 { return i + 1 < end && p[i + 1] < 0xA0 }
        if b == 0xEF { return i + 2 < end && p[i + 1] == 0xBF && p[i + 2] == 0xBD }
        return false
    }

    /// Copies the trimmed range of `p` to `out`, collapsing each whitespace run to one space.
    /// - Returns: bytes written and whether any non-ASCII byte was seen, or a reason.
    static func collapse(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>
    ) -> (count: Int, nonASCII: Bool, problem: String?) {
        var n = 0, i = range.lowerBound
        let e = range.upperBound
        var pendingSpace = false, nonASCII = false
        while i < e {
            let b = p[i]
            if b < 0x80 {
                if isASCIISpace(b) { pendingSpace = true; i += 1; continue }
                if b < 0x20 || b == 0x7F { return (0, false, "contains a control character") }
            } else {
                let sl = unicodeSpaceLength(p, at: i, end: e)
                if sl > 0 { pendingSpace = true; i += sl; continue }
                if isBadNonASCII(p, at: i, end: e) { return (0, false, "contains a control or invalid character") }
                nonASCII = true
            }
            if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
            out[n] = b
            n += 1
            i += 1
        }
        return (n, nonASCII, nil)
    }

    /// Whether `out[0..<n]` equals all of `p`.
    @inline(__always)
    static func same(_ out: UnsafeMutablePointer<UInt8>, _ n: Int, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard n == p.count else { return false }
        var i = 0
        while i < n {
            if out[i] != p[i] { return false }
            i += 1
        }
        return true
    }

    /// A quick check that UTF-8 text is already in NFC: true when every non-ASCII character is
    /// below U+0300 (Latin-1 and Latin Extended letters, all NFC-stable); `false` means "maybe not".
    @inline(__always)
    static func isSurelyNFC(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in p where b >= 0xC0 && b > 0xCB { return false }
        return true
    }
}
