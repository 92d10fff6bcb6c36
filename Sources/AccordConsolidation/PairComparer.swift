/// Compares two prepared records field by field. A pure function of the two records' values: the
/// records are put in key order first, and every sub-comparison is symmetric, so
/// `compare(a, b) == compare(b, a)`.
enum PairComparer {
    /// Jaro-Winkler at or above which names are `close`.
    static let nameClose = 0.92
    /// Jaro-Winkler at or above which names are `similar`.
    static let nameSimilar = 0.80
    /// Jaro-Winkler of e-mail local parts at or above which addresses are `similar`.
    static let localSimilar = 0.90
    /// Jaro-Winkler of street names (same house number) at or above which streets are `close`.
    static let streetClose = 0.90

    static let missing = ComparisonPattern.missing

    /// Compares two records; `cache` (one per thread) remembers name comparisons, which repeat a lot
    /// because names do.
    static func compare(
        _ first: PreparedRecord, _ second: PreparedRecord, in space: FeatureSpace, cache: NameLevelCache? = nil
    ) -> PairComparison {
        let swap = second.key < first.key
        return first.values.withUnsafeBufferPointer { p in
            second.values.withUnsafeBufferPointer { q in
                let x = RecordView(values: p, ends: first.ends), y = RecordView(values: q, ends: second.ends)
                return swap ? compare(y, x, space, cache) : compare(x, y, space, cache)
            }
        }
    }

    /// A record's values without reference counting, for the duration of one comparison.
    struct RecordView {
        let values: UnsafeBufferPointer<Int32>
        let ends: SIMD16<UInt8>

        @inline(__always)
        func callAsFunction(_ slot: Slot) -> UnsafeBufferPointer<Int32> {
            let i = slot.rawValue
            return UnsafeBufferPointer(rebasing: values[(i == 0 ? 0 : Int(ends[i - 1]))..<Int(ends[i])])
        }
    }

    static func compare(_ a: RecordView, _ b: RecordView, _ space: FeatureSpace, _ cache: NameLevelCache?) -> PairComparison {
        var pattern = ComparisonPattern.allMissing
        // Names, straight or swapped, whichever agrees better.
        var given = nameLevel(a(.given), b(.given), given: true, space, cache)
        var family = nameLevel(a(.family), b(.family), given: false, space, cache)
        // The swapped order is tried only when a given name of one equals a family name of the other.
        if given.code >= 2 || family.code >= 2, shareValue(a(.given), b(.family)) || shareValue(a(.family), b(.given)) {
            let swappedGiven = nameLevel(a(.given), b(.family), given: true, space, cache)
            let swappedFamily = nameLevel(a(.family), b(.given), given: true, space, cache)
            if Int(swappedGiven.code) + Int(swappedFamily.code) < Int(given.code) + Int(family.code) {
                (given, family) = (swappedGiven, swappedFamily)
            }
        }
        pattern = pattern.setting(ComparisonField.givenName.index, given.code)
        pattern = pattern.setting(ComparisonField.familyName.index, family.code)
        pattern = pattern.setting(ComparisonField.birthDate.index, birthLevel(a(.birth), b(.birth)))
        let email = emailLevel(a, b, space)
        pattern = pattern.setting(ComparisonField.email.index, email)
        let phone = phoneLevel(a(.phone), b(.phone), space)
        pattern = pattern.setting(ComparisonField.phone.index, phone)
        pattern = pattern.setting(ComparisonField.address.index, addressLevel(a, b, space))
        return PairComparison(
            pattern: pattern, givenAgreement: given.code == 0 ? given.agreed : -1,
            familyAgreement: family.code == 0 ? family.agreed : -1, sharesContact: email == 0 || phone == 0)
    }

    /// The best level over all pairs of names, and the id agreed on when exact.
    static func nameLevel(
        _ xs: UnsafeBufferPointer<Int32>, _ ys: UnsafeBufferPointer<Int32>, given: Bool, _ space: FeatureSpace, _ cache: NameLevelCache?
    ) -> (code: UInt8, agreed: Int32) {
        guard !xs.isEmpty, !ys.isEmpty else { return (missing, -1) }
        for x in xs where ys.contains(x) { return (0, x) }
        var best: UInt8 = 3
        for x in xs {
            for y in ys {
                let level: UInt8
                if let cache {
                    level = cache.level(x, y, given) { nameLevel(x, y, given: given, space) }
                } else {
                    level = nameLevel(x, y, given: given, space)
                }
                if level < best { best = level }
                if best == 1 { return (1, -1) }
            }
        }
        return (best, -1)
    }

    /// The level of two different names.
    static func nameLevel(_ x: Int32, _ y: Int32, given: Bool, _ space: FeatureSpace) -> UInt8 {
        let infoX = space.nameInfo[Int(x)], infoY = space.nameInfo[Int(y)]
        if given, infoX.hasGroups, infoY.hasGroups, shareElement(space.nameGroups[Int(x)], space.nameGroups[Int(y)]) { return 1 }
        return space.names.withBytes(x) { p in
            space.names.withBytes(y) { q -> UInt8 in
                let (short, long) = p.count <= q.count ? (p, q) : (q, p)
                if short.count >= 4, long.count >= short.count + 3,
                    long.starts(with: short) || long.reversed().starts(with: short.reversed())
                {
                    return 1
                }
                if JaroWinkler.upperBound(p, q, common: infoX.letters.common(infoY.letters)) >= nameSimilar {
                    let similarity = JaroWinkler.similarity(p, q)
                    if similarity >= nameClose { return 1 }
                    if similarity >= nameSimilar { return 2 }
                }
                if infoX.phonetic != 0, infoX.phonetic == infoY.phonetic { return 2 }
                if short.count == 1, short[0] == long[0] { return 2 }
                return 3
            }
        }
    }

    static func shareValue(_ x: UnsafeBufferPointer<Int32>, _ y: UnsafeBufferPointer<Int32>) -> Bool {
        for v in x where y.contains(v) { return true }
        return false
    }

    static func shareElement(_ x: [UInt16], _ y: [UInt16]) -> Bool {
        for g in x where y.contains(g) { return true }
        return false
    }

    /// Exact, close (one edit in the eight digits, or day and month swapped), different.
    static func birthLevel(_ xs: UnsafeBufferPointer<Int32>, _ ys: UnsafeBufferPointer<Int32>) -> UInt8 {
        guard !xs.isEmpty, !ys.isEmpty else { return missing }
        for x in xs where ys.contains(x) { return 0 }
        for x in xs {
            for y in ys {
                let (xd, xm, xy) = (x % 100, x / 100 % 100, x / 10000)
                let (yd, ym, yy) = (y % 100, y / 100 % 100, y / 10000)
                if xy == yy, xd == ym, xm == yd { return 1 }
                if withinOneEdit(digits(x), digits(y)) { return 1 }
            }
        }
        return 3
    }

    /// The eight digits of `YYYYMMDD`.
    static func digits(_ n: Int32) -> (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) {
        let v = Int(n)
        func d(_ divisor: Int) -> UInt8 { UInt8(truncatingIfNeeded: v / divisor % 10) }
        return (d(10_000_000), d(1_000_000), d(100_000), d(10_000), d(1000), d(100), d(10), d(1))
    }

    static func withinOneEdit(
        _ x: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8), _ y: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    ) -> Bool {
        withUnsafeBytes(of: x) { p in
            withUnsafeBytes(of: y) { q in
                DamerauLevenshtein.withinOneEdit(p.assumingMemoryBound(to: UInt8.self), q.assumingMemoryBound(to: UInt8.self))
            }
        }
    }

    /// Exact (a shared address), close (a shared local part), similar (local parts alike, with the
    /// same digits: a typo rather than another person's numbered address), different.
    static func emailLevel(_ a: RecordView, _ b: RecordView, _ space: FeatureSpace) -> UInt8 {
        let xs = a(.email), ys = b(.email)
        guard !xs.isEmpty, !ys.isEmpty else { return missing }
        for x in xs where ys.contains(x) { return 0 }
        let lx = a(.emailLocal), ly = b(.emailLocal)
        for x in lx where ly.contains(x) { return 1 }
        for x in lx {
            for y in ly where space.localDigits[Int(x)] == space.localDigits[Int(y)] {
                let common = space.localLetters[Int(x)].common(space.localLetters[Int(y)])
                let similar = space.locals.withBytes(x) { p in
                    space.locals.withBytes(y) { q in
                        JaroWinkler.upperBound(p, q, common: common) >= localSimilar && JaroWinkler.similarity(p, q) >= localSimilar
                    }
                }
                if similar { return 2 }
            }
        }
        return 3
    }

    /// Exact, close (one edit apart), different.
    static func phoneLevel(_ xs: UnsafeBufferPointer<Int32>, _ ys: UnsafeBufferPointer<Int32>, _ space: FeatureSpace) -> UInt8 {
        guard !xs.isEmpty, !ys.isEmpty else { return missing }
        for x in xs where ys.contains(x) { return 0 }
        for x in xs {
            for y in ys {
                let close = space.phones.withBytes(x) { p in
                    space.phones.withBytes(y) { q in DamerauLevenshtein.withinOneEdit(p, q) }
                }
                if close { return 1 }
            }
        }
        return 3
    }

    /// Exact, close (same number and a street name with Jaro-Winkler ≥ 0.90, or the same street and
    /// number but for a letter suffix), different.
    static func streetLevel(_ xs: UnsafeBufferPointer<Int32>, _ ys: UnsafeBufferPointer<Int32>, _ space: FeatureSpace) -> UInt8 {
        guard !xs.isEmpty, !ys.isEmpty else { return missing }
        for x in xs where ys.contains(x) { return 0 }
        for x in xs {
            for y in ys {
                let close = space.withStreetParts(x) { nameX, numberX in
                    space.withStreetParts(y) { nameY, numberY -> Bool in
                        if numberX.elementsEqual(numberY) {
                            return !numberX.isEmpty && JaroWinkler.similarity(nameX, nameY) >= streetClose
                        }
                        guard nameX.elementsEqual(nameY) else { return false }
                        let digitsX = numberX.prefix { $0 >= 0x30 && $0 <= 0x39 }
                        let digitsY = numberY.prefix { $0 >= 0x30 && $0 <= 0x39 }
                        return !digitsX.isEmpty && digitsX.elementsEqual(digitsY)
                    }
                }
                if close { return 1 }
            }
        }
        return 3
    }

    /// The address level from the street's and the locality's (see ``ComparisonField/address``).
    static func addressLevel(_ a: RecordView, _ b: RecordView, _ space: FeatureSpace) -> UInt8 {
        let locality = localityLevel(a, b)
        if locality == 3 { return 3 }
        let street = streetLevel(a(.street), b(.street), space)
        switch locality {
        case 0: return street == 0 ? 0 : (street == 1 ? 1 : 2)
        case 1: return street <= 1 ? 1 : 2
        default:
            switch street {
            case 0: return 1
            case 1: return 2
            case 3: return 3
            default: return missing
            }
        }
    }

    /// Postcodes when both have one (exact; close if the cities agree; different), else cities
    /// (exact or different), else missing.
    static func localityLevel(_ a: RecordView, _ b: RecordView) -> UInt8 {
        let px = a(.postcode), py = b(.postcode)
        let cx = a(.city), cy = b(.city)
        let citiesAgree = cx.contains { cy.contains($0) }
        if !px.isEmpty, !py.isEmpty {
            if px.contains(where: { py.contains($0) }) { return 0 }
            return citiesAgree ? 1 : 3
        }
        guard !cx.isEmpty, !cy.isEmpty else { return missing }
        return citiesAgree ? 0 : 3
    }
}
