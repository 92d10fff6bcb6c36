/// Kölner Phonetik (Postel, 1969): a phonetic code for German names, so that `Meier`, `Mayer` and
/// `Maier` (67), or `Schmidt` and `Schmitt` (862), share a code.
///
/// The text is folded first (``NameFolding``: umlauts to vowels, `ß` to `ss`, accents dropped);
/// letters get digits by their context (`c` before `a, h, k, o, q, u, x` is 4, after `s` or `z` is 8,
/// `d`/`t` before `c, s, z` is 8, `x` after `c, k, q` is 8, otherwise 48, `h` and non-letters no
/// code), then repeated digits collapse to one and every `0` except a leading one is dropped.
public enum KoelnerPhonetik {
    /// The code of `text` (`""` if it has no letters).
    public static func code(_ text: String) -> String {
        var folded: [UInt8] = []
        NameFolding.fold(text, into: &folded)
        var out: [UInt8] = []
        folded.withUnsafeBufferPointer { encode($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes folded lower-case ASCII into digits (`out` is cleared first); other bytes are skipped
    /// and do not separate repeated codes; each word's first letter counts as initial for `c`.
    static func encode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var last: UInt8 = 0xFF  // the last digit produced, before collapsing
        var previous: UInt8 = 0  // the previous letter
        var first = true
        let n = text.count
        func nextLetter(after i: Int) -> UInt8 {
            var k = i + 1
            while k < n {
                let b = text[k]
                if b >= 0x61 && b <= 0x7A { return b }
                k += 1
            }
            return 0
        }
        func push(_ digit: UInt8) {
            if digit != last {
                if digit != 0x30 || out.isEmpty { out.append(digit) }
            }
            last = digit
        }
        for i in 0..<n {
            let c = text[i]
            guard c >= 0x61 && c <= 0x7A else {
                first = true  // a new word: the initial-position rule for `c` applies again
                continue
            }
            let next = nextLetter(after: i)
            switch c {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "j"), UInt8(ascii: "o"),
                UInt8(ascii: "u"), UInt8(ascii: "y"):
                push(0x30)
            case UInt8(ascii: "h"):
                break
            case UInt8(ascii: "b"):
                push(0x31)
            case UInt8(ascii: "p"):
                push(next == UInt8(ascii: "h") ? 0x33 : 0x31)
            case UInt8(ascii: "d"), UInt8(ascii: "t"):
                push(next == UInt8(ascii: "c") || next == UInt8(ascii: "s") || next == UInt8(ascii: "z") ? 0x38 : 0x32)
            case UInt8(ascii: "f"), UInt8(ascii: "v"), UInt8(ascii: "w"):
                push(0x33)
            case UInt8(ascii: "g"), UInt8(ascii: "k"), UInt8(ascii: "q"):
                push(0x34)
            case UInt8(ascii: "c"):
                let hard: Bool
                if first {
                    hard = "ahkloqrux".utf8.contains(next)
                } else if previous == UInt8(ascii: "s") || previous == UInt8(ascii: "z") {
                    hard = false
                } else {
                    hard = "ahkoqux".utf8.contains(next)
                }
                push(hard ? 0x34 : 0x38)
            case UInt8(ascii: "x"):
                if previous == UInt8(ascii: "c") || previous == UInt8(ascii: "k") || previous == UInt8(ascii: "q") {
                    push(0x38)
                } else {
                    push(0x34)
                    push(0x38)
                }
            case UInt8(ascii: "l"):
                push(0x35)
            case UInt8(ascii: "m"), UInt8(ascii: "n"):
                push(0x36)
            case UInt8(ascii: "r"):
                push(0x37)
            default:  // s, z
                push(0x38)
            }
            previous = c
            first = false
        }
    }
}
