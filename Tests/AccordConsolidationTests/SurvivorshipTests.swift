import AccordConsolidation
import AccordModel
import Testing

@Suite struct SurvivorshipTests {
    let retail = UnitID(unchecked: "retail"), insurance = UnitID(unchecked: "insurance"), support = UnitID(unchecked: "support")

    func state(_ values: [(String, UInt64, Value?)]) -> RecordState {
        var state = RecordState()
        for (name, clock, value) in values { state.merge(AttributeName(unchecked: name), Register(hlc: HLC(rawValue: clock), value: value)) }
        return state
    }

    var registers: [RecordRegisters] {
        let r1 = key("retail", "R-1"), i1 = key("insurance", "I-7")
        return [
            RecordRegisters(record: r1, author: retail, state: state([
                ("given_name", 10, .text("Anna")), ("family_name", 10, .text("Müller")), ("street", 10, .text("Hauptstr. 1")),
                ("email", 10, .set(["anna@web.de"])), ("phone", 30, nil), ("consent:email:marketing:unit", 12, nil),
            ])),
            RecordRegisters(record: i1, author: insurance, state: state([
                ("given_name", 20, .text("Anna Maria")), ("family_name", 5, .text("Mueller")), ("street", 20, .text("Hauptstraße 1")),
                ("email", 20, Value.makeSet(["anna@web.de", "a.mueller@gmx.de"])),
            ])),
            // Support's own entry on retail's record: a corrected street.
            RecordRegisters(record: r1, author: support, state: state([("street", 40, .text("Hauptstr. 1a"))])),
        ]
    }

    func golden(_ rules: SurvivorshipRules) -> [String: GoldenValue] {
        Dictionary(uniqueKeysWithValues: Survivorship.goldenValues(registers, rules: rules).map { ($0.attribute.rawValue, $0) })
    }

    @Test func defaultsAreMostRecentAndUnion() {
        let values = golden(.standard)
        #expect(values.keys.sorted() == ["email", "family_name", "given_name", "street"])  // no deleted phone, no consent
        #expect(values["given_name"]!.value == .text("Anna Maria"))
        #expect(values["given_name"]!.lineage == [Lineage(record: key("insurance", "I-7"), attribute: AttributeName(unchecked: "given_name"),
                                                          author: insurance, hlc: HLC(rawValue: 20))])
        #expect(values["family_name"]!.value == .text("Müller"))
        #expect(values["street"]!.value == .text("Hauptstr. 1a"))
        #expect(values["street"]!.lineage.first!.author == support)
        #expect(values["street"]!.lineage.first!.unit == retail)
        #expect(values["email"]!.value == .set(["a.mueller@gmx.de", "anna@web.de"]))
        #expect(values["email"]!.rule == .union)
        #expect(values["email"]!.lineage.map(\.record) == [key("insurance", "I-7"), key("retail", "R-1")])
    }

    @Test func sourcePriorityAndMostComplete() {
        let rules = SurvivorshipRules(attributes: [
            "given_name": .mostComplete, "street": .sourcePriority([retail, insurance]), "family_name": .sourcePriority([insurance]),
            "email": .mostRecent,
        ])
        let values = golden(rules)
        #expect(values["given_name"]!.value == .text("Anna Maria"))
        #expect(values["street"]!.value == .text("Hauptstr. 1"))  // retail first, although support's is newer
        #expect(values["family_name"]!.value == .text("Mueller"))
        #expect(values["email"]!.value == .set(["a.mueller@gmx.de", "anna@web.de"]))
        #expect(values["email"]!.lineage.count == 1)
    }

    @Test func theSameRegistersInAnyOrderGiveTheSameValues() {
        for rules in [SurvivorshipRules.standard, SurvivorshipRules(scalars: .mostComplete, sets: .mostRecent)] {
            let forward = Survivorship.goldenValues(registers, rules: rules)
            #expect(Survivorship.goldenValues(registers.reversed(), rules: rules) == forward)
        }
        // Equal clock readings: ties go by author, then record.
        let tie = [
            RecordRegisters(record: key("b", "1"), author: UnitID(unchecked: "b"), state: state([("city", 5, .text("Köln"))])),
            RecordRegisters(record: key("a", "1"), author: UnitID(unchecked: "a"), state: state([("city", 5, .text("Koeln"))])),
        ]
        #expect(Survivorship.goldenValues(tie, rules: .standard).first!.value == .text("Koeln"))
        #expect(Survivorship.goldenValues(tie.reversed(), rules: .standard).first!.value == .text("Koeln"))
    }
}
