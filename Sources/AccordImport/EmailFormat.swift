/// Byte-level e-mail normalization and validation.
enum EmailFormat {
    static let invalid = "not an email address"

    /// Lower-cases ASCII letters of the trimmed range into `out`; rejects spaces and control characters.
    static func lowerASCII(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>
    ) -> (count: Int, nonASCII: Bool, problem: String?) {
        var n = 0, nonASCII = false
        var i = range.lowerBound
        while i < range.upperBound {
            var b = p[i]
            if b < 0x80 {
                if b <= 0x20 || b == 0x7F { return (0, false, b == 0x20 || ByteScan.isASCIISpace(b) ? invalid : "contains a control character") }
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
            } else {
                if ByteScan.unicodeSpaceLength(p, at: i, end: range.upperBound) > 0 { return (0, false, invalid) }
                if ByteScan.isBadNonASCII(p, at: i, end: range.upperBound) { return (0, false, "contains a control or invalid character") }
                nonASCII = true
            }
            out[n] = b
            n += 1
            i += 1
        }
        return (n, nonASCII, nil)
    }

    /// Checks a lower-cased address: one `@`, local part 1...64 bytes, a dotted domain of
    /// `[a-z0-9-]` labels not starting or ending with `-`, a TLD of 2+ letters.
    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var at = -1
        for i in 0..<p.count where p[i] == UInt8(ascii: "@") {
            if at >= 0 { return false }
            at = i
        }
        guard at > 0, at <= 64, at < p.count - 1 else { return false }
        // Local part.
        if p[0] == UInt8(ascii: ".") || p[at - 1] == UInt8(ascii: ".") { return false }
        var previous: UInt8 = 0
        for i in 0..<at {
            let b = p[i]
            switch b {
            case UInt8(ascii: "."): if previous == b { return false }
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"),
                UInt8(ascii: "\""):
                return false
            default: if b <= 0x20 { return false }
            }
            previous = b
        }
        // Domain.
        let domainStart = at + 1
        guard p.count - domainStart <= 253 else { return false }
        var labelStart = domainStart
        var labels = 0
        var lastLabelAllLetters = true
        var i = domainStart
        while i <= p.count {
            if i == p.count || p[i] == UInt8(ascii: ".") {
                let length = i - labelStart
                guard length >= 1, length <= 63 else { return false }
                if p[labelStart] == UInt8(ascii: "-") || p[i - 1] == UInt8(ascii: "-") { return false }
                labels += 1
                if i == p.count {
                    guard lastLabelAllLetters, length >= 2 else { return false }
                }
                labelStart = i + 1
                lastLabelAllLetters = true
            } else {
                let b = p[i]
                let isLetter = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")
                let isDigit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
                guard isLetter || isDigit || b == UInt8(ascii: "-") else { return false }
                if !isLetter { lastLabelAllLetters = false }
            }
            i += 1
        }
        return labels >= 2
    }
}
