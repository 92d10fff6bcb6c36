/// Byte-level postcode and country normalization.
enum PostalFormat {
    /// Upper-cases and collapses the trimmed range; only `[A-Z0-9 -]`, 3...10 bytes.
    static func postcode(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>
    ) -> (count: Int, problem: String?) {
        let collapsed = ByteScan.collapse(p, range, into: out)
        if let problem = collapsed.problem { return (0, problem) }
        if collapsed.nonASCII { return (0, "not a postcode (only letters A-Z, digits, space and '-')") }
        for i in 0..<collapsed.count {
            var b = out[i]
            if b >= 0x61 && b <= 0x7A { b -= 0x20; out[i] = b }
            let ok = (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x20 || b == 0x2D
            if !ok { return (0, "not a postcode (only letters A-Z, digits, space and '-')") }
        }
        guard collapsed.count >= 3, collapsed.count <= 10 else { return (0, "not a postcode (3 to 10 characters)") }
        return (collapsed.count, nil)
    }

    /// Common country names and alpha-3 codes (lower-case) mapped to alpha-2.
    static let aliases: [String: String] = [
        "deu": "DE", "germany": "DE", "deutschland": "DE",
        "gbr": "GB", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
        "usa": "US", "united states": "US", "united states of america": "US",
        "fra": "FR", "france": "FR", "frankreich": "FR",
        "nld": "NL", "netherlands": "NL", "the netherlands": "NL", "nederland": "NL", "niederlande": "NL",
        "aut": "AT", "austria": "AT", "österreich": "AT",
        "che": "CH", "switzerland": "CH", "schweiz": "CH", "suisse": "CH",
        "bel": "BE", "belgium": "BE", "belgien": "BE",
        "ita": "IT", "italy": "IT", "italien": "IT",
        "esp": "ES", "spain": "ES", "spanien": "ES",
        "pol": "PL", "poland": "PL", "polen": "PL",
        "dnk": "DK", "denmark": "DK", "dänemark": "DK",
    ]

    /// Two ASCII letters upper-cased, or a known alias; `nil` otherwise.
    static func country(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        if range.count == 2 {
            var n = 0
            for i in range {
                var b = p[i]
                if b >= 0x61 && b <= 0x7A { b -= 0x20 }
                guard b >= 0x41 && b <= 0x5A else { return nil }
                out[n] = b
                n += 1
            }
            if out[0] == UInt8(ascii: "U"), out[1] == UInt8(ascii: "K") { out[0] = UInt8(ascii: "G"); out[1] = UInt8(ascii: "B") }
            return n
        }
        let collapsed = ByteScan.collapse(p, range, into: out)
        guard collapsed.problem == nil else { return nil }
        let text = String(decoding: UnsafeBufferPointer(start: out, count: collapsed.count), as: UTF8.self).lowercased()
        guard let code = aliases[text] else { return nil }
        var n = 0
        for b in code.utf8 { out[n] = b; n += 1 }
        return n
    }
}
