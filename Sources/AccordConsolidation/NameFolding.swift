import Foundation

/// Folds text to lower-case ASCII for matching: German umlauts and ß transliterated (`ä` → `ae`,
/// `ß` → `ss`, also when written decomposed as `a` + U+0308), other Latin letters stripped of
/// their accents (`é` → `e`, `ł` → `l`, `ø` → `oe`, `å` → `aa`), apostrophes dropped (`O'Brien`
/// → `obrien`), every other punctuation mark, dash or space a token separator. Letters of other
/// scripts are kept, lower-cased.
enum NameFolding {
    /// Letters with a conventional transliteration rather than a plain accent strip.
    static let special: [UInt32: String] = [
        0xE4: "ae", 0xF6: "oe", 0xFC: "ue", 0xDF: "ss", 0x1E9E: "ss",
        0xE6: "ae", 0xF8: "oe", 0xE5: "aa", 0x153: "oe", 0x142: "l", 0x111: "d", 0xF0: "d", 0xFE: "th",
        0x131: "i", 0x14B: "n", 0x127: "h", 0x138: "k", 0x140: "l", 0x149: "n", 0x17F: "s",
    ]

    /// Folded forms of U+00C0...U+024F (Latin-1 Supplement, Latin Extended-A and -B), built once: per
    /// code point its length (low byte) and up to 3 bytes. Kept in plain memory rather than a
    /// dictionary so that threads folding at once do not contend on one reference count.
    static let latin: LatinTable = {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: LatinTable.count)
        table.initialize(repeating: 0, count: LatinTable.count)
        for value in LatinTable.first..<(LatinTable.first + UInt32(LatinTable.count)) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let lower = scalar.properties.lowercaseMapping.unicodeScalars.first.map(\.value) ?? value
            var bytes: [UInt8] = []
            if let replacement = special[lower] {
                bytes = Array(replacement.utf8)
            } else {
                let decomposed = String(Character(Unicode.Scalar(lower) ?? scalar)).decomposedStringWithCanonicalMapping
                for part in decomposed.unicodeScalars where part.isASCII {
                    let b = UInt8(part.value)
                    bytes.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                }
            }
            guard !bytes.isEmpty, bytes.count <= 3 else { continue }
            var packed = UInt32(bytes.count)
            for (k, b) in bytes.enumerated() { packed |= UInt32(b) << (8 * UInt32(k + 1)) }
            table[Int(value - LatinTable.first)] = packed
        }
        return LatinTable(entries: UnsafePointer(table))
    }()

    /// The folding table of ``latin``; allocated once for the life of the process.
    struct LatinTable: @unchecked Sendable {  // @unchecked: written once before publication, read-only after
        static let first: UInt32 = 0xC0
        static let count = 0x250 - 0xC0
        let entries: UnsafePointer<UInt32>

        /// The packed folded form of `value`, or 0.
        @inline(__always)
        subscript(_ value: UInt32) -> UInt32 {
            value >= LatinTable.first && value < LatinTable.first + UInt32(LatinTable.count) ? entries[Int(value - LatinTable.first)] : 0
        }
    }

    /// The separator byte between tokens in folded output.
    static let separator: UInt8 = 0x20

    /// Folds `text` into `out` (cleared first): lower-case ASCII letters and digits, tokens separated
    /// by exactly one space, no leading or trailing space.
    static func fold(_ text: String, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var pendingSeparator = false
        @inline(__always) func emit(_ b: UInt8) {
            if pendingSeparator {
                if !out.isEmpty { out.append(separator) }
                pendingSeparator = false
            }
            out.append(b)
        }
        var previousBase: UInt8 = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                switch b {
                case 0x41...0x5A: emit(b + 0x20); previousBase = b + 0x20
                case 0x61...0x7A, 0x30...0x39: emit(b); previousBase = b
                case 0x27, 0x60: previousBase = 0  // apostrophe, backtick: dropped without a break
                default: pendingSeparator = true; previousBase = 0
                }
                continue
            }
            switch v {
            case 0x2018, 0x2019, 0x02BC, 0x02B9, 0x00B4:
                previousBase = 0  // typographic apostrophes and accents written alone
            case 0x0308 where previousBase == 0x61 || previousBase == 0x6F || previousBase == 0x75:
                emit(0x65)  // decomposed umlaut: a/o/u + combining diaeresis -> ae/oe/ue
                previousBase = 0
            case 0x0300...0x036F:
                break  // other combining marks are accents: dropped
            default:
                let packed = latin[v]
                if packed != 0 {
                    for k in 0..<Int(packed & 0xFF) { emit(UInt8(truncatingIfNeeded: packed >> (8 * UInt32(k + 1)))) }
                    previousBase = 0
                } else if let replacement = special[v] {
                    for b in replacement.utf8 { emit(b) }
                    previousBase = 0
                } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                        for b in String(lower).utf8 { emit(b) }
                    }
                    previousBase = 0
                } else {
                    pendingSeparator = true  // spaces, dashes, other punctuation
                    previousBase = 0
                }
            }
        }
    }

    /// Folds `text` and returns the result as a string (for tests and callers outside the hot path).
    static func fold(_ text: String) -> String {
        var out: [UInt8] = []
        fold(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
