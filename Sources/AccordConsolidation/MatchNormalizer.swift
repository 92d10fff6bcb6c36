import AccordImport

/// Normalizes attribute values for matching (a stricter canonical form than the import's: the import
/// keeps what a customer wrote, matching needs what two spellings share).
///
/// E-mail, phone, date and postcode parsing reuse the import's normalizers (`AccordImport`); what
/// matching adds on top is described on each method. A value that does not normalize is `nil`
/// (missing), never an error: matching must not fail on data the import already accepted or on
/// another unit's formats.
public struct MatchNormalizer: Sendable {
    /// The settings.
    public let settings: MatchNormalization
    let emailRule: FieldValidator
    let phoneRule: FieldValidator
    let dateRule: FieldValidator
    let postcodeRule: FieldValidator
    let dateOrder: DateOrder
    let postcodeLength: Int?

    /// Title and generational tokens dropped from names (a switch over literals: no shared storage).
    static func isNameNoise(_ token: String) -> Bool {
        switch token {
        case "dr", "prof", "dipl", "ing", "med", "herr", "frau", "mr", "mrs", "ms", "miss", "mx", "sir",
            "jr", "sr", "jun", "sen", "ii", "iii", "iv":
            return true
        default: return false
        }
    }

    /// Family-name particles, dropped when another token remains (`von Bülow` = `Bülow`).
    static func isParticle(_ token: String) -> Bool {
        switch token {
        case "von", "van", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das", "zu", "zur", "zum", "vom",
            "ten", "ter", "te", "la", "le", "y", "af", "av":
            return true
        default: return false
        }
    }

    /// Digits of all-numeric postcodes by country, for restoring a dropped leading zero.
    static let numericPostcodeLengths: [String: Int] = [
        "DE": 5, "FR": 5, "IT": 5, "ES": 5, "US": 5, "FI": 5, "AT": 4, "CH": 4, "BE": 4, "DK": 4, "NO": 4, "LU": 4, "HU": 4,
    ]

    /// Creates a normalizer.
    /// - Parameter settings: normalization settings (an unknown `dateOrder` reads as day first).
    public init(_ settings: MatchNormalization) {
        self.settings = settings
        dateOrder = DateOrder(rawValue: settings.dateOrder) ?? .dayFirst
        let import_ = NormalizationSettings(defaultCountry: settings.defaultCountry, dateOrder: dateOrder)
        do {
            emailRule = try FieldValidator(rule: FieldRule(name: "email", type: .email), settings: import_)
            phoneRule = try FieldValidator(rule: FieldRule(name: "phone", type: .phone), settings: import_)
            dateRule = try FieldValidator(rule: FieldRule(name: "date", type: .date), settings: import_)
            postcodeRule = try FieldValidator(rule: FieldRule(name: "postcode", type: .postcode), settings: import_)
        } catch {
            preconditionFailure("rules without a pattern always compile: \(error)")
        }
        postcodeLength = Self.numericPostcodeLengths[settings.defaultCountry]
    }

    // MARK: Names

    /// A given name for matching: folded (``NameFolding``: case, accents, `ä` → `ae`, `ß` → `ss`,
    /// punctuation), titles and `Jr.`/`Sr.` dropped, tokens joined (`Hans-Peter` = `Hans Peter` =
    /// `hanspeter`). Nicknames are not replaced here: they are a comparison level.
    public func givenName(_ raw: String) -> String? { string { name(raw, family: false, into: &$0) } }

    /// A family name for matching: as ``givenName(_:)``, and particles dropped when another token
    /// remains (`von Bülow` = `Bülow` = `buelow`, `O'Brien` = `obrien`).
    public func familyName(_ raw: String) -> String? { string { name(raw, family: true, into: &$0) } }

    /// Writes a folded name into `out` (empty: missing).
    func name(_ raw: String, family: Bool, into out: inout [UInt8]) {
        var folded: [UInt8] = []
        NameFolding.fold(raw, into: &folded)
        out.removeAll(keepingCapacity: true)
        guard !folded.isEmpty else { return }
        let tokens = folded.split(separator: NameFolding.separator)
        // Every noise word and particle is at most 5 bytes: longer tokens need no lookup.
        var kept = tokens.filter { $0.count > 5 || !Self.isNameNoise(String(decoding: $0, as: UTF8.self)) }
        if family {
            let core = kept.filter { $0.count > 5 || !Self.isParticle(String(decoding: $0, as: UTF8.self)) }
            if !core.isEmpty { kept = core }
        }
        if kept.isEmpty { kept = tokens }  // a name that is all "noise" (`Sen`, `Ing`) stays as written
        for token in kept { out.append(contentsOf: token) }
    }

    // MARK: Contact

    /// An e-mail address for matching: the import's normalization (trimmed, lower-cased, shape
    /// checked), then, if ``MatchNormalization/emailProviderRules`` is on, the provider's documented
    /// equivalences: Gmail ignores dots in the local part and everything from a `+`, and
    /// `googlemail.com` is `gmail.com`.
    public func email(_ raw: String) -> String? {
        guard case .success(let value) = emailRule.normalize(raw), !value.isEmpty else { return nil }
        guard settings.emailProviderRules, let at = value.utf8.lastIndex(of: UInt8(ascii: "@")) else { return value }
        let local = value.utf8[..<at], domain = String(value[value.utf8.index(after: at)...])
        guard domain == "gmail.com" || domain == "googlemail.com" else { return value }
        var canonical: [UInt8] = []
        for b in local {
            if b == UInt8(ascii: "+") { break }
            if b != UInt8(ascii: ".") { canonical.append(b) }
        }
        guard !canonical.isEmpty else { return value }
        return String(decoding: canonical, as: UTF8.self) + "@gmail.com"
    }

    /// The local part of a normalized address with dots, hyphens, underscores and any `+tag` removed:
    /// what the `close` level compares across domains (`anna.mueller@web.de` ~ `annamueller@gmx.de`).
    static func looseLocalPart(_ email: String) -> String {
        var out: [UInt8] = []
        for b in email.utf8 {
            if b == UInt8(ascii: "@") || b == UInt8(ascii: "+") { break }
            if b != UInt8(ascii: ".") && b != UInt8(ascii: "-") && b != UInt8(ascii: "_") { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A phone number in E.164, by the import's normalizer with the default country.
    public func phone(_ raw: String) -> String? {
        guard case .success(let value) = phoneRule.normalize(raw), !value.isEmpty else { return nil }
        return value
    }

    // MARK: Dates

    /// A date as `YYYY-MM-DD`: the import's formats (ISO, `YYYYMMDD`, `D.M.YYYY`, `D/M/YYYY`, read
    /// day or month first per ``MatchNormalization/dateOrder``), and month names (`7. März 1984`,
    /// `March 7, 1984`) and ISO timestamps.
    public func date(_ raw: String) -> String? {
        if case .success(let value) = dateRule.normalize(raw) { return value.isEmpty ? nil : value }
        return Normalizer.dateFromText(raw, order: dateOrder)
    }

    /// A date as the number `YYYYMMDD`, or `nil`.
    func dateNumber(_ raw: String) -> Int32? {
        guard let value = date(raw) else { return nil }
        var n: Int32 = 0
        for b in value.utf8 where b != UInt8(ascii: "-") { n = n * 10 + Int32(b - 0x30) }
        return n
    }

    // MARK: Addresses

    /// A postcode for matching: the import's normalization (upper-cased, collapsed), then spaces and
    /// hyphens removed, a country prefix dropped (`D-10115` = `10115`), and a leading zero that a
    /// spreadsheet dropped restored for the default country's numeric postcodes (`1067` = `01067` in DE).
    public func postcode(_ raw: String) -> String? {
        guard case .success(let value) = postcodeRule.normalize(raw), !value.isEmpty else { return nil }
        var bytes = value.utf8.filter { $0 != 0x20 && $0 != UInt8(ascii: "-") }
        let letters = bytes.prefix { $0 >= 0x41 && $0 <= 0x5A }.count
        if letters >= 1, letters <= 2, bytes.count - letters >= 4, bytes[letters...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            bytes.removeFirst(letters)
        }
        if let length = postcodeLength, bytes.count == length - 1, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            bytes.insert(0x30, at: 0)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// A city for matching: parenthesized parts dropped (`Halle (Saale)` = `Halle`), then folded and joined.
    public func city(_ raw: String) -> String? {
        var text = ""
        var depth = 0
        for character in raw {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) } else if depth == 0 {
                text.append(character)
            }
        }
        var folded: [UInt8] = []
        NameFolding.fold(text, into: &folded)
        let joined = folded.filter { $0 != NameFolding.separator }
        return joined.isEmpty ? nil : String(decoding: joined, as: UTF8.self)
    }

    /// A street with house number for matching, as `name number` (see ``StreetFormat``):
    /// `Hauptstraße 12 a` = `Hauptstr. 12a` = `haupstr 12a`; `12 Main Street, Apt 4` = `mainst 12`.
    public func street(_ raw: String) -> String? {
        var folded: [UInt8] = []
        NameFolding.fold(raw, into: &folded)
        guard let parts = StreetFormat.parse(folded) else { return nil }
        return parts.number.isEmpty ? parts.name : parts.name + " " + parts.number
    }

    /// Calls `body` with a scratch buffer and returns its content as a string (`nil` if empty).
    private func string(_ body: (inout [UInt8]) -> Void) -> String? {
        var out: [UInt8] = []
        body(&out)
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }
}
