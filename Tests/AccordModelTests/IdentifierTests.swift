import AccordModel
import Testing

@Suite("Identifiers, consent topics and scopes")
struct IdentifierTests {
    // MARK: UnitID

    @Test("Valid unit ids", arguments: ["retail", "a", "a1", "a_b-c", "insurance-2", String(repeating: "z", count: 63)])
    func validUnit(text: String) throws {
        let unit = try UnitID(text)
        #expect(unit.rawValue == text)
        #expect(unit.description == text)
    }

    @Test("Invalid unit ids", arguments: [
        "", String(repeating: "z", count: 64), "Retail", "retaiL", "1abc", "-a", "_a", "a b", "a\n", "a\u{0}",
        "a.b", "a/b", "é", "caf\u{E9}", "a\u{7F}",
    ])
    func invalidUnit(text: String) {
        let error = #expect(throws: ModelError.self) { try UnitID(text) }
        #expect(error?.code == .invalidIdentifier)
    }

    // MARK: AttributeName

    @Test("Valid attribute names", arguments: [
        "email", "Email", "consent:email:marketing:unit=retail", "interaction:evt-1", "!", "~",
        String(repeating: "a", count: 255),
    ])
    func validAttribute(text: String) throws {
        #expect(try AttributeName(text).rawValue == text)
    }

    @Test("Invalid attribute names", arguments: [
        "", String(repeating: "a", count: 256), "has space", "tab\t", "line\n", "nul\u{0}", "del\u{7F}", "é",
        "emoji😀",
    ])
    func invalidAttribute(text: String) {
        let error = #expect(throws: ModelError.self) { try AttributeName(text) }
        #expect(error?.code == .invalidIdentifier)
    }

    // MARK: RecordKey

    @Test("Valid local ids, including non-ASCII and upper case", arguments: [
        "c1", "ABC-123", "客户-😀", "Zoë", "e\u{301}", "with space", String(repeating: "x", count: 128),
        String(repeating: "客", count: 42), "\u{A0}",
    ])
    func validLocalId(text: String) throws {
        let key = try RecordKey(unit: UnitID("retail"), localId: text)
        #expect(key.localId.utf8.elementsEqual(text.utf8))
        #expect(key.description == "retail/\(text)")
    }

    @Test("Invalid local ids", arguments: [
        "", String(repeating: "x", count: 129), String(repeating: "客", count: 43), "a\nb", "\u{0}", "tab\t",
        "\u{7F}", "\u{85}", "\u{9F}", "\r\n",
    ])
    func invalidLocalId(text: String) {
        let error = #expect(throws: ModelError.self) { try RecordKey(unit: UnitID(unchecked: "retail"), localId: text) }
        #expect(error?.code == .invalidIdentifier)
    }

    @Test("Identifiers order byte-wise; record keys by unit, then local id")
    func ordering() throws {
        #expect(try UnitID("a") < UnitID("b"))
        #expect(try UnitID("a") < UnitID("a-"))
        #expect(try AttributeName("Z") < AttributeName("a"))
        let retail = try UnitID("retail"), bank = try UnitID("bank")
        #expect(try RecordKey(unit: bank, localId: "z") < RecordKey(unit: retail, localId: "a"))
        #expect(try RecordKey(unit: retail, localId: "z") < RecordKey(unit: retail, localId: "é"))
        let keys = try ["é", "Z", "z", "e\u{301}", "10", "9"].map { try RecordKey(unit: retail, localId: $0) }
        #expect(keys.sorted().map(\.localId.utf8).map(Array.init) == ["10", "9", "Z", "e\u{301}", "z", "é"].map { Array($0.utf8) })
    }

    @Test("Record keys whose local ids differ only in Unicode normalization are different records")
    func normalizationDistinct() throws {
        let retail = try UnitID("retail")
        let composed = try RecordKey(unit: retail, localId: "caf\u{E9}")
        let decomposed = try RecordKey(unit: retail, localId: "cafe\u{301}")
        // Comparable must agree with ==: one is less, so they are not equal.
        #expect(decomposed < composed)
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        let key = EntryKey(record: composed, attribute: try AttributeName("email"), author: retail)
        #expect(key != EntryKey(record: decomposed, attribute: key.attribute, author: retail))
    }

    // MARK: ConsentScope

    @Test("Consent scopes parse from and print to their attribute form", arguments: ["company", "unit=retail", "line=insurance", "line=a"])
    func scopeRoundTrip(text: String) throws {
        let scope = try ConsentScope(parsing: text)
        #expect(scope.description == text)
        #expect(try ConsentScope(parsing: scope.description) == scope)
    }

    @Test("Parsed scopes have the right case")
    func scopeCases() throws {
        #expect(try ConsentScope(parsing: "company") == .company)
        #expect(try ConsentScope(parsing: "unit=retail") == .unit(UnitID("retail")))
        #expect(try ConsentScope(parsing: "line=insurance") == .lineOfBusiness("insurance"))
    }

    @Test("Invalid consent scopes are refused", arguments: [
        "", "Company", "company ", " company", "everyone", "unit", "unit=", "unit=Retail", "line=", "line=Bad",
        "line=a b", "unit=retail:x", "line=a:b",
    ])
    func invalidScope(text: String) {
        let error = #expect(throws: ModelError.self) { try ConsentScope(parsing: text) }
        #expect(error?.code == .malformed || error?.code == .invalidIdentifier)
    }

    // MARK: ConsentTopic

    @Test("A consent topic round-trips through its attribute name")
    func topicRoundTrip() throws {
        let scopes: [ConsentScope] = [.company, .unit(try UnitID("retail")), .lineOfBusiness("insurance")]
        for channel in ["email", "sms", "phone-2"] {
            for purpose in ["marketing", "service_notices"] {
                for scope in scopes {
                    let topic = try ConsentTopic(channel: channel, purpose: purpose, scope: scope)
                    let attribute = topic.attribute
                    #expect(attribute.rawValue == "consent:\(channel):\(purpose):\(scope)")
                    #expect(try AttributeName(attribute.rawValue) == attribute, "the derived name is a valid attribute name")
                    #expect(ConsentTopic(attribute: attribute) == topic)
                }
            }
        }
        let longest = try ConsentTopic(
            channel: String(repeating: "c", count: 63), purpose: String(repeating: "p", count: 63),
            scope: .lineOfBusiness(String(repeating: "l", count: 63)))
        #expect(try AttributeName(longest.attribute.rawValue) == longest.attribute)
        #expect(ConsentTopic(attribute: longest.attribute) == longest)
    }

    @Test("Attribute names that are not consent topics read back as nil", arguments: [
        "email", "consent", "consent:email:marketing", "consent:email:marketing:company:x", "consent:Email:marketing:company",
        "consent:email::company", "consent:email:marketing:unit=Retail", "consent:email:marketing:everyone",
        "interaction:e1", "Consent:email:marketing:company",
    ])
    func notATopic(text: String) {
        #expect(ConsentTopic(attribute: AttributeName(unchecked: text)) == nil)
    }

    @Test("Consent topics refuse invalid channels, purposes and lines of business")
    func invalidTopic() {
        for (channel, purpose, scope) in [
            ("Email", "marketing", ConsentScope.company), ("", "marketing", .company), ("email", "", .company),
            ("email", "market ing", .company), ("email:x", "marketing", .company),
            ("email", "marketing", .lineOfBusiness("Bad Line")), ("email", "marketing", .lineOfBusiness("")),
        ] {
            let error = #expect(throws: ModelError.self, "\(channel) \(purpose) \(scope)") {
                try ConsentTopic(channel: channel, purpose: purpose, scope: scope)
            }
            #expect(error?.code == .invalidIdentifier)
        }
    }

    @Test("Interaction attribute names are derived from the event id")
    func interactionAttribute() throws {
        #expect(try InteractionEvent.attribute(eventId: "e-1").rawValue == "interaction:e-1")
        #expect(throws: ModelError.self) { try InteractionEvent.attribute(eventId: "has space") }
        #expect(throws: ModelError.self) { try InteractionEvent.attribute(eventId: String(repeating: "x", count: 244)) }
        #expect(try InteractionEvent.attribute(eventId: String(repeating: "x", count: 243)).rawValue.utf8.count == 255)
    }
}
