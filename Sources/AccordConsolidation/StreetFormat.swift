/// Street lines split into street name and house number for matching.
///
/// Input is folded text (``NameFolding``). German order (`Hauptstr. 12a`) and English order
/// (`12 Main St`) are both read: the house number is the first token starting with a digit, with a
/// following single letter joined to it (`12 a` = `12a`); what follows the number in German order
/// (a range's second number, a floor, a flat) is dropped, as is an apartment or unit marker and its
/// number anywhere (`Apt 4`, `Whg. 3`, `Suite 100`). Street types are abbreviated (`straße`,
/// `strasse` → `str`; `street` → `st`; `avenue` → `ave`; `road` → `rd`; `platz` → `pl`, ...)
/// and the name's tokens joined (`Neue Straße` = `Neuestr.`).
enum StreetFormat {
    /// Markers of an apartment, flat or floor; the marker and the token after it are dropped.
    static func isUnitMarker(_ token: String) -> Bool {
        switch token {
        case "apt", "apartment", "app", "appartement", "wohnung", "whg", "unit", "suite", "ste", "flat", "zimmer", "zi",
            "etage", "stock", "og", "eg", "dg", "ug", "top", "room", "fl", "floor":
            return true
        default: return false
        }
    }

    /// Whole-token street types and their abbreviation.
    static func streetType(_ token: String) -> String? {
        switch token {
        case "strasse", "str": return "str"
        case "street", "st": return "st"
        case "avenue", "ave", "av": return "ave"
        case "road", "rd": return "rd"
        case "drive", "dr": return "dr"
        case "lane", "ln": return "ln"
        case "boulevard", "blvd": return "blvd"
        case "place", "pl", "platz": return "pl"
        case "square", "sq": return "sq"
        case "court", "ct": return "ct"
        case "terrace", "ter": return "ter"
        default: return nil
        }
    }

    /// The street name (tokens joined, types abbreviated) and house number, or `nil` without a name.
    static func parse(_ folded: [UInt8]) -> (name: String, number: String)? {
        var tokens = folded.split(separator: NameFolding.separator).map { String(decoding: $0, as: UTF8.self) }
        // Drop unit markers with their number.
        var index = 0
        while index < tokens.count {
            if isUnitMarker(tokens[index]), index > 0 || tokens.count > 2 {
                tokens.removeSubrange(index..<min(tokens.count, index + 2))
            } else {
                index += 1
            }
        }
        guard !tokens.isEmpty else { return nil }
        func isNumber(_ token: String) -> Bool { token.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        func isLetter(_ token: String) -> Bool { token.utf8.count == 1 && token.utf8.first! >= 0x61 && token.utf8.first! <= 0x7A }
        var nameTokens: [String] = []
        var number = ""
        if isNumber(tokens[0]) {
            // English order: number first, then the name.
            number = tokens[0]
            var rest = tokens.dropFirst()
            if let next = rest.first, isLetter(next), rest.count > 1 { number += next; rest = rest.dropFirst() }
            nameTokens = rest.filter { !isNumber($0) }
        } else {
            var k = 0
            while k < tokens.count, !isNumber(tokens[k]) { nameTokens.append(tokens[k]); k += 1 }
            if k < tokens.count {
                number = tokens[k]
                if k + 1 < tokens.count, isLetter(tokens[k + 1]) { number += tokens[k + 1] }
            }
        }
        var name = ""
        for token in nameTokens {
            if let short = streetType(token) {
                name += short
                continue
            }
            var replaced = token
            // Street-type suffixes of compound German names (`hauptstrasse` → `hauptstr`).
            if token.hasSuffix("strasse"), token.utf8.count > 7 {
                replaced = String(token.dropLast(7)) + "str"
            } else if token.hasSuffix("platz"), token.utf8.count > 5 {
                replaced = String(token.dropLast(5)) + "pl"
            }
            name += replaced
        }
        guard !name.isEmpty else { return nil }
        return (name, number)
    }
}
