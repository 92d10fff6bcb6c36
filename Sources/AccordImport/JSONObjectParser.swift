/// Parses one flat JSON object from bytes, extracting the values of known keys.
struct JSONObjectParser {
    let p: UnsafeBufferPointer<UInt8>
    let keys: [[UInt8]]
    let separator: UInt8
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>, keys: [[UInt8]], separator: UInt8) {
        p = bytes
        self.keys = keys
        self.separator = separator
    }

    mutating func isBlank() -> Bool {
        skipSpace()
        defer { i = 0 }
        return i >= p.count
    }

    private func fail(_ what: String) -> FieldProblem {
        FieldProblem(reason: "malformed JSON line: \(what) at byte \(i + 1)")
    }

    private mutating func skipSpace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
    }

    mutating func parse(scratch: inout [UInt8]) -> Result<[String], FieldProblem> {
        var fields = [String](repeating: "", count: keys.count)
        skipSpace()
        guard i < p.count, p[i] == UInt8(ascii: "{") else { return .failure(fail("expected '{'")) }
        i += 1
        skipSpace()
        if i < p.count, p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard i < p.count, p[i] == UInt8(ascii: "\"") else { return .failure(fail("expected a key")) }
                guard readString(into: &scratch) else { return .failure(fail("bad string")) }
                let column = keys.firstIndex { $0.elementsEqual(scratch) }
                skipSpace()
                guard i < p.count, p[i] == UInt8(ascii: ":") else { return .failure(fail("expected ':'")) }
                i += 1
                skipSpace()
                if let column {
                    switch readValue(scratch: &scratch) {
                    case .success(let value): fields[column] = value
                    case .failure(let problem): return .failure(problem)
                    }
                } else {
                    guard skipValue(depth: 0) else { return .failure(fail("bad value")) }
                }
                skipSpace()
                guard i < p.count else { return .failure(fail("unexpected end of line")) }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == UInt8(ascii: "}") { i += 1; break }
                return .failure(fail("expected ',' or '}'"))
            }
        }
        skipSpace()
        guard i == p.count else { return .failure(fail("text after the object")) }
        return .success(fields)
    }

    /// Reads a requested value as text.
    private mutating func readValue(scratch: inout [UInt8]) -> Result<String, FieldProblem> {
        guard i < p.count else { return .failure(fail("missing value")) }
        if p[i] == UInt8(ascii: "[") {
            i += 1
            var joined: [UInt8] = []
            var first = true
            skipSpace()
            if i < p.count, p[i] == UInt8(ascii: "]") { i += 1; return .success("") }
            while true {
                skipSpace()
                guard i < p.count else { return .failure(fail("unexpected end of line")) }
                guard p[i] != UInt8(ascii: "[") && p[i] != UInt8(ascii: "{") else {
                    return .failure(fail("nested value in an array"))
                }
                guard let isNull = readScalar(into: &scratch) else { return .failure(fail("bad value")) }
                if !isNull {
                    if !first { joined.append(separator) }
                    joined.append(contentsOf: scratch)
                    first = false
                }
                skipSpace()
                guard i < p.count else { return .failure(fail("unexpected end of line")) }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == UInt8(ascii: "]") { i += 1; break }
                return .failure(fail("expected ',' or ']'"))
            }
            return .success(String(decoding: joined, as: UTF8.self))
        }
        if p[i] == UInt8(ascii: "{") { return .failure(fail("nested object")) }
        guard readScalar(into: &scratch) != nil else { return .failure(fail("bad value")) }
        return .success(String(decoding: scratch, as: UTF8.self))
    }

    /// Reads a string, number, boolean or null into `out`; returns whether it was null, `nil` if malformed.
    private mutating func readScalar(into out: inout [UInt8]) -> Bool? {
        out.removeAll(keepingCapacity: true)
        guard i < p.count else { return nil }
        switch p[i] {
        case UInt8(ascii: "\""):
            return readString(into: &out) ? false : nil
        case UInt8(ascii: "t"):
            guard literal("true") else { return nil }
            out.append(contentsOf: "true".utf8)
            return false
        case UInt8(ascii: "f"):
            guard literal("false") else { return nil }
            out.append(contentsOf: "false".utf8)
            return false
        case UInt8(ascii: "n"):
            return literal("null") ? true : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            while i < p.count {
                let c = p[i]
                let ok = (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                if !ok { break }
                i += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
            return false
        default:
            return nil
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        for k in 0..<n where p[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    /// Reads a JSON string starting at the opening quote, decoding escapes into `out`.
    private mutating func readString(into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        i += 1
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") { i += 1; return true }
            if c < 0x20 { return false }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < p.count else { return false }
            let e = p[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return false }
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { return false }
                    i += 2
                    guard let low = hex4(), low >= 0xDC00 && low < 0xE000 else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return false }
                out.append(contentsOf: UTF8.encode(unicode)!)
            default: return false
            }
        }
        return false
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= p.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - 0x57
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - 0x37
            default: return nil
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// Skips any JSON value (used for keys that are not requested).
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64, i < p.count else { return false }
        let open = p[i]
        if open == UInt8(ascii: "{") || open == UInt8(ascii: "[") {
            let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace()
            if i < p.count, p[i] == close { i += 1; return true }
            var scratch: [UInt8] = []
            while true {
                skipSpace()
                if open == UInt8(ascii: "{") {
                    guard i < p.count, p[i] == UInt8(ascii: "\""), readString(into: &scratch) else { return false }
                    skipSpace()
                    guard i < p.count, p[i] == UInt8(ascii: ":") else { return false }
                    i += 1
                    skipSpace()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                guard i < p.count else { return false }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == close { i += 1; return true }
                return false
            }
        }
        var scratch: [UInt8] = []
        return readScalar(into: &scratch) != nil
    }
}
