/// ASCII forms of the sample names for e-mail addresses (ä -> ae, ß -> ss, é -> e, ...).
enum SampleTransliteration {
    static let given: [String] = SampleNames.given.map(ascii)
    static let family: [String] = SampleNames.family.map(ascii)

    static let table: [Character: String] = [
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa",
        "á": "a", "à": "a", "â": "a", "ą": "a", "é": "e", "è": "e", "ê": "e", "ë": "e", "ę": "e",
        "í": "i", "ì": "i", "î": "i", "ï": "i", "ı": "i", "ó": "o", "ò": "o", "ô": "o", "ú": "u", "ù": "u",
        "û": "u", "ñ": "n", "ń": "n", "ç": "c", "č": "c", "ć": "c", "ł": "l", "ś": "s", "š": "s", "ş": "s",
        "ã": "a", "õ": "o", "ž": "z", "ż": "z", "ź": "z", "ř": "r", "ý": "y", "ğ": "g", "ň": "n",
    ]

    /// Lower-case ASCII letters and hyphens only.
    static func ascii(_ name: String) -> String {
        var out = ""
        for character in name.lowercased() {
            if character.isASCII {
                if character.isLetter || character == "-" { out.append(character) }
            } else if let replacement = table[character] {
                out += replacement
            }
        }
        return out
    }
}
