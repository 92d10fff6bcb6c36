/// Byte-level phone normalization to E.164 (`+<digits>`).
enum PhoneFormat {
    static let invalid = "not a phone number"

    /// Calling code and trunk rule of a default country.
    struct Country: Sendable, Equatable {
        /// Country calling code digits, e.g. `49`.
        let code: [UInt8]
        /// Whether national numbers drop one leading trunk `0`.
        let stripsTrunkZero: Bool
        /// North American numbering: an 11-digit national number may start with trunk `1`.
        let northAmerican: Bool
    }

    /// Looks up an ISO alpha-2 country (case-insensitive); `nil` if not in the table.
    static func country(_ iso: String) -> Country? {
        let key = String(iso.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }.map { Character(UnicodeScalar($0)) })
        guard let (code, trunk) = table[key] else { return nil }
        return Country(code: Array(code.utf8), stripsTrunkZero: trunk, northAmerican: code == "1")
    }

    /// ISO alpha-2 -> (calling code, strips trunk 0). Italy keeps its leading 0; Spain, Portugal,
    /// Denmark, Norway and Poland have no trunk prefix.
    static let table: [String: (String, Bool)] = [
        "US": ("1", false), "CA": ("1", false),
        "GB": ("44", true), "DE": ("49", true), "FR": ("33", true), "NL": ("31", true),
        "BE": ("32", true), "CH": ("41", true), "AT": ("43", true), "IT": ("39", false),
        "ES": ("34", false), "PT": ("351", false), "SE": ("46", true), "DK": ("45", false),
        "NO": ("47", false), "FI": ("358", true), "PL": ("48", false), "IE": ("353", true),
        "LU": ("352", false), "CZ": ("420", false), "GR": ("30", false), "HU": ("36", true),
    ]

    /// Normalizes the trimmed range into `out` (needs 20 bytes).
    /// - Parameter country: the default country, `nil` if the setting is unknown.
    /// Normalizes the trimmed, non-empty range into `out` (needs 21 bytes).
    /// - Parameter country: the default country, `nil` if the setting is unknown.
    static func normalize(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, country: Country?, into out: UnsafeMutablePointer<UInt8>
    ) -> (count: Int, problem: String?) {
        // Digits go to out[1...], leaving room for '+' and a country code later.
        let maxDigits = 17
        var n = 0
        var international = false
        var i = range.lowerBound
        let e = range.upperBound
        if p[i] == UInt8(ascii: "+") { international = true; i += 1 }
        let digitBase = 4  // room for "+" and a 3-digit calling code in front
        while i < e {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 {
                guard n < maxDigits else { return (0, invalid) }
                out[digitBase + n] = b
                n += 1
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "("):
                // "+49 (0)151 ..." : the bracketed trunk zero is dropped in international numbers.
                if i + 2 < e, p[i + 1] == UInt8(ascii: "0"), p[i + 2] == UInt8(ascii: ")"),
                    international || (n >= 2 && out[digitBase] == 0x30 && out[digitBase + 1] == 0x30)
                {
                    i += 3
                    continue
                }
                i += 1
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ")"), UInt8(ascii: "/"), 0x09:
                i += 1
            default:
                if b >= 0x80, ByteScan.unicodeSpaceLength(p, at: i, end: e) > 0 {
                    i += ByteScan.unicodeSpaceLength(p, at: i, end: e)
                    continue
                }
                return (0, b < 0x20 || b == 0x7F ? "contains a control character" : invalid)
            }
        }
        var start = digitBase
        if !international, n >= 2, out[start] == 0x30, out[start + 1] == 0x30 {
            international = true
            start += 2
            n -= 2
        }
        if international {
            guard n > 0, out[start] != 0x30 else { return (0, invalid) }
        } else {
            guard let country else { return (0, "unknown calling code for the defaultCountry setting") }
            guard n > 0 else { return (0, invalid) }
            if country.northAmerican {
                if n == 11, out[start] == 0x31 { start += 1; n -= 1 }
                guard n == 10 else { return (0, invalid) }
            } else if country.stripsTrunkZero, out[start] == 0x30 {
                start += 1
                n -= 1
                guard n > 0, out[start] != 0x30 else { return (0, invalid) }
            }
            for digit in country.code.reversed() {
                start -= 1
                out[start] = digit
                n += 1
            }
        }
        guard n >= 8, n <= 15 else { return (0, "not a phone number (8 to 15 digits with country code)") }
        out[0] = UInt8(ascii: "+")
        for k in 0..<n { out[1 + k] = out[start + k] }
        return (n + 1, nil)
    }
}
