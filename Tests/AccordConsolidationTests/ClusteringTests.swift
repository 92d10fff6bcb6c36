import AccordConsolidation
import AccordModel
import Testing

/// Crafted cases: the same person across units, households, twins, steward decisions, the chaining
/// guard, and how profile ids behave.
@Suite struct ClusteringTests {
    let rules = ResolutionRules.standard
    let parameters = MatchParameters.untrained

    func resolve(_ records: [IdentityRecord], decisions: [StewardDecision] = [], rules: ResolutionRules? = nil) -> IdentityResolver {
        IdentityResolver(records: records, decisions: decisions, rules: rules ?? self.rules, parameters: parameters)
    }

    @Test func samePersonAcrossUnitsDespiteFormatsNicknamesAndSwappedNames() {
        let records = [
            person("retail", "R-1", given: "Wilhelm", family: "Müller", birth: "1961-04-09", email: "W.Mueller@web.de",
                   phone: "0151 2345678", street: "Hauptstraße 12", postcode: "10115", city: "Berlin"),
            person("insurance", "I-1", given: "Willi", family: "Mueller", birth: "09.04.1961", email: "w.mueller@web.de"),
            person("webshop", "W-1", given: "Mueller", family: "Wilhelm", email: "w.mueller@web.de", phone: "+49 151 2345678"),
            person("support", "S-1", given: "Bill", family: "MÜLLER", birth: "1961-04-09", street: "Hauptstr. 12", postcode: "10115"),
        ]
        let resolver = resolve(records)
        #expect(resolver.profiles.count == 1, "\(resolver.profiles.map(\.records))")
        let explanation = resolver.explain(key("retail", "R-1"), key("support", "S-1"))!
        #expect(explanation.pattern.level(.givenName) == .close)  // Bill ~ Wilhelm: the nickname table
        #expect(explanation.pattern.level(.address) == .exact)
        #expect(resolver.explain(key("retail", "R-1"), key("webshop", "W-1"))!.pattern.level(.familyName) == .exact)  // swapped
    }

    @Test(arguments: [("Hans", "Johannes"), ("Sepp", "Josef"), ("Bill", "William"), ("Käthe", "Katharina")])
    func nicknamesAreCloseGivenNames(_ short: String, _ full: String) {
        let resolver = resolve([
            person("a", "1", given: short, family: "Huber", birth: "1950-01-02"),
            person("b", "1", given: full, family: "Huber", birth: "1950-01-02"),
        ])
        #expect(resolver.explain(key("a", "1"), key("b", "1"))!.pattern.level(.givenName) == .close)
    }

    @Test func householdMembersStayApart() {
        let address = (street: "Lindenstraße 4", postcode: "38100", city: "Braunschweig")
        let records = [
            person("retail", "1", given: "Petra", family: "Schäfer", birth: "1970-05-01", email: "petra.schaefer@gmx.de",
                   street: address.street, postcode: address.postcode, city: address.city),
            person("retail", "2", given: "Klaus", family: "Schäfer", birth: "1968-11-23", email: "klaus.schaefer@gmx.de",
                   street: address.street, postcode: address.postcode, city: address.city),
            // Shared household contact: still two people, but worth a steward's look.
            person("bank", "1", given: "Lena", family: "Schaefer", birth: "1999-02-14", phone: "+49531123456",
                   street: "Lindenstr. 4", postcode: "38100"),
            person("bank", "2", given: "Petra", family: "Schaefer", birth: "1970-05-01", phone: "+49531123456",
                   street: "Lindenstr. 4", postcode: "38100"),
        ]
        let resolver = resolve(records)
        #expect(together(resolver, key("retail", "1"), key("bank", "2")))  // Petra is Petra
        #expect(!together(resolver, key("retail", "1"), key("retail", "2")))
        #expect(!together(resolver, key("bank", "1"), key("bank", "2")))
        #expect(!together(resolver, key("retail", "2"), key("bank", "1")))
        #expect(resolver.explain(key("bank", "1"), key("bank", "2"))!.conflict)
        #expect(resolver.reviewQueue.contains { $0.first == key("bank", "1") && $0.second == key("bank", "2") })
    }

    @Test func twinsStayApart() {
        let records = [
            person("retail", "1", given: "Jonas", family: "Vogel", birth: "2001-07-30", street: "Am Markt 2", postcode: "24103"),
            person("retail", "2", given: "Lukas", family: "Vogel", birth: "2001-07-30", street: "Am Markt 2", postcode: "24103"),
            person("insurance", "1", given: "Jonas", family: "Vogel", birth: "30.07.2001", email: "jonas.vogel@web.de",
                   street: "Am Markt 2", postcode: "24103"),
            // Similar names (Lena, Lina) with nothing else to tell them apart: no automatic link.
            person("retail", "3", given: "Lena", family: "Roth", birth: "1995-03-03", street: "Ringstraße 9", postcode: "50667"),
            person("retail", "4", given: "Lina", family: "Roth", birth: "1995-03-03", street: "Ringstraße 9", postcode: "50667"),
        ]
        let resolver = resolve(records)
        #expect(together(resolver, key("retail", "1"), key("insurance", "1")))
        #expect(!together(resolver, key("retail", "2"), key("retail", "1")))
        #expect(!together(resolver, key("retail", "2"), key("insurance", "1")))
        #expect(!together(resolver, key("retail", "3"), key("retail", "4")))
        #expect(resolver.explain(key("retail", "3"), key("retail", "4"))!.pattern.level(.givenName) == .similar)
    }

    /// X (no given name, no birth date) links strongly to Anna (shared e-mail) and to Bernd (shared
    /// phone); Anna and Bernd are different people. Without the guard X chains them into one profile.
    @Test func chainingGuardKeepsTwoPeopleApart() {
        let address = (street: "Gartenweg 3", postcode: "79098")
        let records = [
            person("retail", "A", given: "Anna", family: "Keller", birth: "1982-06-01", email: "anna.keller@web.de",
                   street: address.street, postcode: address.postcode),
            person("retail", "B", given: "Bernd", family: "Keller", birth: "1979-09-12", phone: "+491729876543",
                   street: address.street, postcode: address.postcode),
            person("support", "X", family: "Keller", email: "anna.keller@web.de", phone: "+491729876543",
                   street: address.street, postcode: address.postcode),
        ]
        let guarded = resolve(records)
        #expect(!together(guarded, key("retail", "A"), key("retail", "B")))
        #expect(together(guarded, key("support", "X"), key("retail", "B")))  // the stronger link wins
        var unguarded = rules
        unguarded.clustering.chainingGuard = false
        #expect(together(resolve(records, rules: unguarded), key("retail", "A"), key("retail", "B")))
    }

    @Test func stewardDecisionsOverrideScores() {
        let anna1 = person("retail", "1", given: "Anna", family: "Berg", birth: "1980-01-01", email: "anna.berg@web.de")
        let anna2 = person("bank", "1", given: "Anna", family: "Berg", birth: "1980-01-01", email: "anna.berg@web.de")
        let anna3 = person("travel", "1", given: "Anna", family: "Berg", birth: "1980-01-01", email: "anna.berg@web.de")
        let other = person("bank", "2", given: "Otto", family: "Kurz", birth: "1941-12-24")
        #expect(resolve([anna1, anna2, anna3, other]).profiles.count == 2)

        // Must-link joins what the scores keep apart.
        let must = StewardDecision(anna1.key, other.key, .mustLink, decided: HLC(rawValue: 10))
        #expect(together(resolve([anna1, anna2, other], decisions: [must]), anna1.key, other.key))
        // Cannot-link splits what the scores join, also transitively: 1 and 3 never share a profile.
        let cannot = StewardDecision(anna1.key, anna3.key, .cannotLink, decided: HLC(rawValue: 11))
        let split = resolve([anna1, anna2, anna3], decisions: [cannot])
        #expect(!together(split, anna1.key, anna3.key))
        #expect(together(split, anna2.key, anna1.key) != together(split, anna2.key, anna3.key))
        // Must-links that would join a cannot-linked pair: the older one holds, the newer gives way.
        let m1 = StewardDecision(anna1.key, other.key, .mustLink, decided: HLC(rawValue: 20))
        let m2 = StewardDecision(other.key, anna3.key, .mustLink, decided: HLC(rawValue: 21))
        let both = resolve([anna1, anna3, other], decisions: [cannot, m1, m2])
        #expect(together(both, anna1.key, other.key))
        #expect(!together(both, other.key, anna3.key))

        // Incrementally, and withdrawn again.
        var resolver = resolve([anna1, anna2, anna3])
        resolver.record(cannot)
        #expect(snapshot(resolver) == snapshot(split))
        resolver.withdrawDecision(anna3.key, anna1.key)
        #expect(resolver.profiles.count == 1)
        // A decision about a record and itself means nothing.
        var selfDecision = resolve([anna1, anna2])
        #expect(selfDecision.record(StewardDecision(anna1.key, anna1.key, .cannotLink, decided: HLC(rawValue: 30))).isEmpty)
        #expect(together(selfDecision, anna1.key, anna2.key))
        // A decision about records not held yet applies when they arrive.
        var early = IdentityResolver(rules: rules, parameters: parameters)
        early.record(must)
        early.upsert(anna1)
        early.upsert(other)
        #expect(together(early, anna1.key, other.key))
    }

    @Test func profileIDsAnchorOnTheEarliestRecord() {
        let old = person("retail", "9", created: 100, given: "Eva", family: "Brandt", birth: "1990-10-10", email: "eva.brandt@web.de")
        let young = person("webshop", "1", created: 300, given: "Eva", family: "Brandt", birth: "1990-10-10", email: "eva.brandt@web.de")
        let other = person("bank", "5", created: 200, given: "Eva", family: "Brandt", phone: "+491605551234")
        let bridge = person("support", "2", created: 400, given: "Eva", family: "Brandt", birth: "1990-10-10",
                            email: "eva.brandt@web.de", phone: "+491605551234")
        var resolver = IdentityResolver(rules: rules, parameters: parameters)
        resolver.upsert(young)
        #expect(resolver.profile(of: young.key)!.id == ProfileID(anchor: young.key))
        // An older record joins: the id moves to it (the id is a function of the cluster alone).
        resolver.upsert(old)
        let id = ProfileID(anchor: old.key)
        #expect(resolver.profile(of: young.key)!.id == id)
        // A separate profile, then a bridge merges the two: the merged profile keeps the older anchor's id.
        resolver.upsert(other)
        let otherID = resolver.profile(of: other.key)!.id
        #expect(otherID == ProfileID(anchor: other.key))
        let delta = resolver.upsert(bridge)
        #expect(delta.removed == [otherID])
        #expect(delta.changed.map(\.id) == [id])
        #expect(resolver.profile(of: other.key)!.id == id)
        // The bridge leaves: the split gives the other part back its own anchor's id.
        let split = resolver.remove(bridge.key)
        #expect(resolver.profile(of: other.key)!.id == otherID)
        #expect(resolver.profile(of: young.key)!.id == id)
        #expect(Set(split.changed.map(\.id)) == [id, otherID])
        #expect(split.removed.isEmpty)
        #expect(ProfileID(id.description) == id)
        #expect(ProfileID("x123") == nil)
        #expect(ProfileID("p+" + String(id.description.dropFirst(2))) == nil)
        #expect(ProfileID(id.description.uppercased().replacing("P", with: "p")) == id)
    }
}
