import AccordPolicy
import AccordSegments
import Testing

/// The segment language: what parses, what it means, and errors that point at the column.
@Suite("Segment filter parser")
struct SegmentParserTests {
    static let policy = SegmentFixtures.policy
    static let vocabulary = SegmentVocabulary(policy: policy, unit: "retail")

    @Test(arguments: [
        ("stage = active", SegmentExpression.stage(names: ["active"], negated: false)),
        ("stage != past", .stage(names: ["past"], negated: true)),
        ("stage in (active, lapsed)", .stage(names: ["active", "lapsed"], negated: false)),
        ("known_to(retail, webshop)", .knownTo(["retail", "webshop"])),
        ("consent(email, marketing)", .consent(channel: "email", purpose: "marketing")),
        ("interaction(type = purchase, within 90 days)", .interaction(type: "purchase", channel: nil, withinDays: 90)),
        ("interaction()", .interaction(type: nil, channel: nil, withinDays: nil)),
        (#"city = "Berlin""#, .attribute(name: "city", test: .equals("Berlin"))),
        (#"email contains "@example.""#, .attribute(name: "email", test: .contains("@example."))),
        (#"postcode prefix "10""#, .attribute(name: "postcode", test: .prefix("10"))),
        ("phone exists", .attribute(name: "phone", test: .exists)),
        (#"city = "a" or city = "b" and stage = active"#,
         .or(.attribute(name: "city", test: .equals("a")), .and(.attribute(name: "city", test: .equals("b")), .stage(names: ["active"], negated: false)))),
        (#"not (city = "a" or phone exists)"#, .not(.or(.attribute(name: "city", test: .equals("a")), .attribute(name: "phone", test: .exists)))),
        (#"city = "say \"hi\" \\ ok""#, .attribute(name: "city", test: .equals(#"say "hi" \ ok"#))),
    ])
    func parses(text: String, expected: SegmentExpression) throws {
        let parsed = try SegmentParser.parse(text, vocabulary: Self.vocabulary)
        #expect(parsed == expected)
        #expect(try SegmentParser.parse(parsed.description, vocabulary: Self.vocabulary) == parsed, "the description parses back")
    }

    @Test(arguments: [
        // text, column, a word the expectation must mention
        ("", 1, "a condition"),
        ("city = ", 8, "double quotes"),
        ("city", 5, "contains"),
        (#"city = "x" and"#, 15, "a condition"),
        (#"city = "x" phone exists"#, 12, "\"and\""),
        ("stage = unknown", 9, "lifecycle stage"),
        ("stage active", 7, "in after stage"),
        ("(stage = active", 16, "\")\""),
        ("known_to(nowhere)", 10, "unit of the federation"),
        ("consent(email marketing)", 15, "between channel and purpose"),
        ("consent(fax, marketing)", 9, "consent channel"),
        ("interaction(type = dance)", 20, "interaction type"),
        ("interaction(within 0 days)", 20, "number of days"),
        ("interaction(within 5 weeks)", 22, "\"days\""),
        (#"cty = "Berlin""#, 1, "attribute of the policy"),
        (#"iban exists"#, 1, "may see"),
        (#"city = "open"#, 8, "closing"),
        ("city = 'x'", 8, "a name, a string"),
        ("stage ! active", 7, "!="),
        (". = 1", 2, "attribute name"),
    ])
    func errorsPointAtTheColumn(text: String, column: Int, mentions: String) {
        let error = #expect(throws: SegmentSyntaxError.self) { try SegmentParser.parse(text, vocabulary: Self.vocabulary) }
        #expect(error?.column == column, "\(text): \(error.map(String.init(describing:)) ?? "")")
        #expect(error?.expected.contains(mentions) == true, "\(text): \(error.map(String.init(describing:)) ?? "")")
    }

    @Test func deepNestingIsRefusedNotOverflowed() {
        let text = String(repeating: "(", count: 10_000) + "phone exists" + String(repeating: ")", count: 10_000)
        #expect(throws: SegmentSyntaxError.self) { try SegmentParser.parse(String(text.prefix(4000))) }
        let nots = String(repeating: "not ", count: 1000) + "phone exists"
        let error = #expect(throws: SegmentSyntaxError.self) { try SegmentParser.parse(nots) }
        #expect(error?.expected.contains("nested") == true)
    }

    @Test func interactionsOutsideTheUnitsAudienceAreRefused() {
        // insurance is not in the audience of the interactions share class.
        let insurance = SegmentVocabulary(policy: Self.policy, unit: "insurance")
        let error = #expect(throws: SegmentSyntaxError.self) { try SegmentParser.parse("interaction(type = purchase)", vocabulary: insurance) }
        #expect(error?.column == 1)
        #expect((try? SegmentParser.parse("iban exists", vocabulary: insurance)) == .attribute(name: "iban", test: .exists))
    }

    @Test func keywordNamedAttributesUseADot() throws {
        #expect(try SegmentParser.parse(#".stage = "x""#) == .attribute(name: "stage", test: .equals("x")))
        #expect(SegmentExpression.attribute(name: "stage", test: .exists).description == ".stage exists")
    }
}
