/// American Soundex (as used by the U.S. National Archives): a phonetic code for English names,
/// the first letter followed by three digits (`Robert` and `Rupert` are R163, `Ashcraft` A261).
///
/// The text is folded first (``NameFolding``), so `Müller` codes as `mueller` (M460). Letters
/// coded alike and adjacent, or separated only by `h` or `w`, count once; vowels separate them.
public enum Soundex {
    /// The code of `text` (`""` if it has no ASCII letter).
    public static func code(_ text: String) -> String {
        var folded: [UInt8] = []
        NameFolding.fold(text, into: &folded)
        var out: [UInt8] = []
        folded.withUnsafeBufferPointer { encode($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Digit of a lower-case letter: 0 for vowels (separators), 0xFF for `h` and `w` (transparent).
    static func digit(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "p"), UInt8(ascii: "v"): return 1
        case UInt8(ascii: "c"), UInt8(ascii: "g"), UInt8(ascii: "j"), UInt8(ascii: "k"), UInt8(ascii: "q"),
            UInt8(ascii: "s"), UInt8(ascii: "x"), UInt8(ascii: "z"):
            return 2
        case UInt8(ascii: "d"), UInt8(ascii: "t"): return 3
        case UInt8(ascii: "l"): return 4
        case UInt8(ascii: "m"), UInt8(ascii: "n"): return 5
        case UInt8(ascii: "r"): return 6
        case UInt8(ascii: "h"), UInt8(ascii: "w"): return 0xFF
        default: return 0
        }
    }

    /// Encodes folded lower-case ASCII (`out` is cleared first): 4 bytes, or none without a letter.
    static func encode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var last: UInt8 = 0
        for c in text where c >= 0x61 && c <= 0x7A {
            let d = digit(c)
            if out.isEmpty {
                out.append(c - 0x20)
                last = d == 0xFF ? 0 : d
                continue
            }
            if d == 0xFF { continue }
            if d != 0 && d != last {
                out.append(0x30 + d)
                if out.count == 4 { return }
            }
            last = d
        }
        guard !out.isEmpty else { return }
        while out.count < 4 { out.append(0x30) }
    }
}
