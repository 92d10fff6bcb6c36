/// The interned values of all records and what is derived once per distinct value: a name's phonetic
/// code, nickname groups and blocking initial, its term-frequency adjustments, a street's split into
/// name and number. Everything derived is a function of the value's bytes and the rules alone, never
/// of the order values arrived in.
struct FeatureSpace: Sendable {
    /// What is derived from one distinct name (a plain value: reading it costs no reference counting).
    struct NameInfo: Sendable {
        /// Stable hash of the name's phonetic code (0: no code).
        var phonetic: UInt64
        /// The blocking initial (through the nickname table).
        var initial: UInt8
        /// Whether the name has nickname groups (in ``FeatureSpace/nameGroups``).
        var hasGroups: Bool
        /// Byte-class counts, for the Jaro-Winkler bound.
        var letters: LetterSignature
    }

    let normalization: MatchNormalization
    let termFrequencyRules: TermFrequencyRules
    var names = StringPool()
    var nameInfo: [NameInfo] = []
    /// Nickname groups per name id (empty when nicknames are off or the name is not in the table).
    var nameGroups: [[UInt16]] = []
    /// Term-frequency adjustment of an exact agreement per name id, in millibits.
    var givenAdjustment: [Int32] = []
    var familyAdjustment: [Int32] = []
    /// How many records hold each name id as a given name, and as a family name (for training).
    var givenCount: [Int32] = []
    var familyCount: [Int32] = []
    var emails = StringPool()
    var locals = StringPool()
    /// Byte-class counts per local-part id.
    var localLetters: [LetterSignature] = []
    /// Stable hash of the digits of each local part (in order), so `anna.mueller12` and
    /// `anna.mueller7`, two people's numbered addresses, are told apart from a typo.
    var localDigits: [UInt64] = []
    var phones = StringPool()
    var streets = StringPool()
    /// Byte offset of the house number in each street id (its length when there is none).
    var streetNumberStart: [UInt16] = []
    var places = StringPool()
    private var givenTable: TermFrequencyTable?
    private var familyTable: TermFrequencyTable?

    init(rules: ResolutionRules, parameters: MatchParameters) {
        normalization = rules.normalization
        termFrequencyRules = rules.termFrequency
        setTermFrequencies(parameters, rules: rules)
    }

    /// Interns a normalized record.
    mutating func intern(_ record: NormalizedRecord) -> PreparedRecord {
        var values: [Int32] = []
        values.reserveCapacity(record.spans.count)
        var ends = SIMD16<UInt8>()
        var slot = 0
        record.bytes.withUnsafeBufferPointer { p in
            for span in record.spans {
                while slot < Int(span.slot) { ends[slot] = UInt8(values.count); slot += 1 }
                let bytes = UnsafeBufferPointer(rebasing: p[Int(span.start)..<Int(span.start + span.count)])
                values.append(intern(bytes, slot: Slot(rawValue: Int(span.slot))!))
            }
        }
        while slot < Slot.allCases.count { ends[slot] = UInt8(values.count); slot += 1 }
        let prepared = PreparedRecord(key: record.key, created: record.created, values: values, ends: ends)
        count(prepared, by: 1)
        return prepared
    }

    /// The values and slot ends a normalized record would get, if every one of its values is interned
    /// already (`nil` otherwise: then it differs from every held record).
    func lookup(_ record: NormalizedRecord) -> (values: [Int32], ends: SIMD16<UInt8>)? {
        var values: [Int32] = []
        var ends = SIMD16<UInt8>()
        var slot = 0
        let found: Bool = record.bytes.withUnsafeBufferPointer { p in
            for span in record.spans {
                while slot < Int(span.slot) { ends[slot] = UInt8(values.count); slot += 1 }
                let bytes = UnsafeBufferPointer(rebasing: p[Int(span.start)..<Int(span.start + span.count)])
                let id: Int32?
                switch Slot(rawValue: Int(span.slot))! {
                case .given, .family: id = names.find(bytes)
                case .birth: id = bytes.reduce(Int32(0)) { $0 &* 10 &+ Int32($1 &- 0x30) }
                case .email: id = emails.find(bytes)
                case .emailLocal: id = locals.find(bytes)
                case .phone: id = phones.find(bytes)
                case .street: id = streets.find(bytes)
                case .postcode, .city: id = places.find(bytes)
                }
                guard let id else { return false }
                values.append(id)
            }
            return true
        }
        guard found else { return nil }
        while slot < Slot.allCases.count { ends[slot] = UInt8(values.count); slot += 1 }
        return (values, ends)
    }

    /// Forgets a record's contribution to the value counts.
    mutating func release(_ record: PreparedRecord) { count(record, by: -1) }

    private mutating func count(_ record: PreparedRecord, by delta: Int32) {
        for id in record.values(.given) { givenCount[Int(id)] += delta }
        for id in record.values(.family) { familyCount[Int(id)] += delta }
    }

    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, slot: Slot) -> Int32 {
        switch slot {
        case .given, .family:
            let before = names.count
            let id = names.intern(bytes)
            if Int(id) == before { describeName(id, bytes) }
            return id
        case .birth:
            var n: Int32 = 0
            for b in bytes { n = n &* 10 &+ Int32(b &- 0x30) }
            return n
        case .email: return emails.intern(bytes)
        case .emailLocal:
            let before = locals.count
            let id = locals.intern(bytes)
            if Int(id) == before {
                localLetters.append(LetterSignature(bytes))
                let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 }
                localDigits.append(digits.withUnsafeBufferPointer { StableHash.bytes($0) })
            }
            return id
        case .phone: return phones.intern(bytes)
        case .street:
            let before = streets.count
            let id = streets.intern(bytes)
            if Int(id) == before {
                let space = bytes.lastIndex(of: 0x20)
                streetNumberStart.append(UInt16(space.map { $0 + 1 } ?? bytes.count))
            }
            return id
        case .postcode, .city: return places.intern(bytes)
        }
    }

    private mutating func describeName(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        var code: [UInt8] = []
        switch normalization.phonetic {
        case .koelner: KoelnerPhonetik.encode(bytes, into: &code)
        case .soundex: Soundex.encode(bytes, into: &code)
        }
        let phonetic = code.isEmpty ? 0 : code.withUnsafeBufferPointer { StableHash.bytes($0) } | 1
        var groups: [UInt16] = []
        var initial = bytes.first ?? 0
        if normalization.nicknames {
            let text = String(decoding: bytes, as: UTF8.self)
            groups = Nicknames.groups(of: text)
            initial = Nicknames.canonicalInitial(of: text) ?? initial
        }
        nameInfo.append(NameInfo(phonetic: phonetic, initial: initial, hasGroups: !groups.isEmpty, letters: LetterSignature(bytes)))
        nameGroups.append(groups)
        givenCount.append(0)
        familyCount.append(0)
        givenAdjustment.append(adjustment(givenTable, bytes))
        familyAdjustment.append(adjustment(familyTable, bytes))
    }

    private func adjustment(_ table: TermFrequencyTable?, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let table else { return 0 }
        return Int32(Score.millibits(table.adjustment(for: String(decoding: bytes, as: UTF8.self), rules: termFrequencyRules)))
    }

    /// Recomputes every name's term-frequency adjustment for new parameters.
    mutating func setTermFrequencies(_ parameters: MatchParameters, rules: ResolutionRules) {
        givenTable = rules.termFrequency.givenName ? parameters.termFrequencies(.givenName) : nil
        familyTable = rules.termFrequency.familyName ? parameters.termFrequencies(.familyName) : nil
        for id in 0..<names.count {
            names.withBytes(Int32(id)) { bytes in
                givenAdjustment[id] = adjustment(givenTable, bytes)
                familyAdjustment[id] = adjustment(familyTable, bytes)
            }
        }
    }

    /// The street name part of a street id.
    @inline(__always)
    func withStreetParts<R>(_ id: Int32, _ body: (_ name: UnsafeBufferPointer<UInt8>, _ number: UnsafeBufferPointer<UInt8>) -> R) -> R {
        let split = Int(streetNumberStart[Int(id)])
        return streets.withBytes(id) { all in
            let nameEnd = split >= all.count ? all.count : split - 1
            return body(UnsafeBufferPointer(rebasing: all[0..<nameEnd]), UnsafeBufferPointer(rebasing: all[min(split, all.count)...]))
        }
    }
}
