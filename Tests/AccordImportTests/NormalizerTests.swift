import AccordImport
import Testing

/// (input, expected output or nil for a rejection)
typealias Case = (String, String?)

func check(_ type: FieldType, _ cases: [Case], settings: NormalizationSettings = .init(), rule: FieldRule? = nil) {
    let rule = rule ?? FieldRule(name: "f", type: type)
    for (input, expected) in cases {
        let result = Normalizer.normalize(input, as: rule, settings: settings)
        switch (result, expected) {
        case (.success(let value), .some(let expected)):
            #expect(value == expected, "\(type) \(input.debugDescription)")
            #expect(Array(value.utf8) == Array(expected.utf8), "bytes of \(input.debugDescription)")
        case (.failure, .none):
            break
        default:
            Issue.record("\(type) \(input.debugDescription): got \(result), expected \(String(describing: expected))")
        }
    }
}

@Suite struct NormalizerTests {
    @Test func text() {
        check(.text, [
            ("  Hauptstraße   12 ", "Hauptstraße 12"), ("\u{00A0}Am\tMarkt\u{2003}3\u{3000}", "Am Markt 3"),
            ("   ", ""), ("", ""), ("a\nb", "a b"), ("bad\u{0001}", nil), ("bad\u{007F}x", nil), ("c1\u{0085}", nil),
            ("\u{FEFF}x\u{200B}", "x"),
        ])
    }

    @Test func names() {
        check(.name, [
            ("Zoë", "Zoë"), (" Jürgen ", "Jürgen"), ("Øyvind", "Øyvind"), ("Hans-Peter  Müller", "Hans-Peter Müller"),
            ("Rene\u{0301}e", "Ren\u{00E9}e"), ("de  Vries", "de Vries"), ("mcDonald", "mcDonald"), ("x\u{0007}", nil),
        ])
        #expect(Array("Rene\u{0301}e".utf8).count == 7)
    }

    @Test func emails() {
        check(.email, [
            ("Max.Mustermann@Web.DE", "max.mustermann@web.de"), ("  a@b.co ", "a@b.co"),
            ("j.doe+tag@mail.example.org", "j.doe+tag@mail.example.org"), ("ÄRGER@web.de", "ärger@web.de"),
            ("first.last@gmail.com", "first.last@gmail.com"), ("a@b-c.de", "a@b-c.de"),
            ("no-at.de", nil), ("a@@b.de", nil), ("a@b@c.de", nil), ("@b.de", nil), ("a@b", nil), ("a@b.c", nil),
            ("a b@c.de", nil), ("a@-b.de", nil), ("a@b-.de", nil), ("a@b.d3", nil), (".a@b.de", nil), ("a..b@c.de", nil),
            (String(repeating: "x", count: 65) + "@b.de", nil), ("a@bü.de", nil), ("a@b..de", nil),
        ])
    }

    @Test func phones() {
        check(.phone, [
            ("+49 151 23456789", "+4915123456789"), ("0151 2345678", "+491512345678"), ("0049 (151) 234-5678", "+491512345678"),
            ("+49 (0)151 2345678", "+491512345678"), ("030/123456", "+4930123456"), ("0151.234.5678", "+491512345678"),
            ("+1 (415) 555-0100", "+14155550100"), ("+4915123456789012", nil), ("0151 23x", nil), ("+0151234567", nil),
            ("123", nil), ("", ""),
        ])
        check(.phone, [("(415) 555-0100", "+14155550100"), ("1 415 555 0100", "+14155550100"), ("555-0100", nil)],
              settings: .init(defaultCountry: "US"))
        check(.phone, [("06 12345678", "+390612345678")],
              settings: .init(defaultCountry: "IT"))
        check(.phone, [("612 345 678", "+34612345678")], settings: .init(defaultCountry: "ES"))
        check(.phone, [("020 7946 0958", "+442079460958")], settings: .init(defaultCountry: "gb"))
        check(.phone, [("0401 234567", "+358401234567")], settings: .init(defaultCountry: "FI"))
        check(.phone, [("+49 151 2345678", "+491512345678"), ("0151 2345678", nil)], settings: .init(defaultCountry: "XX"))
        let failure = Normalizer.normalize("0151 2345678", as: FieldRule(name: "p", type: .phone), settings: .init(defaultCountry: "XX"))
        #expect(failure == .failure(FieldProblem(reason: "unknown calling code for the defaultCountry setting")))
    }

    @Test func dates() {
        check(.date, [
            ("1984-03-07", "1984-03-07"), ("19840307", "1984-03-07"), ("1984/3/7", "1984-03-07"), ("07.03.1984", "1984-03-07"),
            ("7/3/1984", "1984-03-07"), ("7-3-1984", "1984-03-07"), ("29.02.2000", "2000-02-29"), ("29.02.1900", nil),
            ("29.02.2023", nil), ("31.04.1990", nil), ("07.03.84", nil), ("1899-12-31", nil), ("2101-01-01", nil),
            ("1984-13-01", nil), ("1984-03.07", nil), ("March 7, 1984", nil), ("1984-3-7x", nil), ("0.1.1990", nil),
        ])
        check(.date, [("03/07/1984", "1984-03-07"), ("12/31/1999", "1999-12-31"), ("31/12/1999", nil)],
              settings: .init(dateOrder: .monthFirst))
        check(.date, [("1984-03-07", "1984-03-07"), ("07.03.1984", nil)], settings: .init(dateOrder: .yearFirst))
    }

    @Test func postcodes() {
        check(.postcode, [
            ("10115", "10115"), (" sw1a  1aa ", "SW1A 1AA"), ("1234-567", "1234-567"), ("12", nil), ("12345678901", nil),
            ("1011ß", nil), ("10_15", nil),
        ])
    }

    @Test func countries() {
        check(.country, [
            ("de", "DE"), (" DE ", "DE"), ("Deutschland", "DE"), ("germany", "DE"), ("DEU", "DE"), ("UK", "GB"),
            ("United Kingdom", "GB"), ("usa", "US"), ("Österreich", "AT"), ("CHE", "CH"), ("Netherlands", "NL"),
            ("fr", "FR"), ("D", nil), ("Narnia", nil), ("D3", nil), ("Ü1", nil),
        ])
    }

    @Test func enumerations() {
        let rule = FieldRule(name: "segment", type: .enumeration, allowedValues: ["standard", "premium", "Business"])
        check(.enumeration, [
            ("premium", "premium"), (" PREMIUM ", "premium"), ("business", "Business"), ("gold", nil),
        ], rule: rule)
    }

    @Test func maxLengthAndPattern() {
        let rule = FieldRule(name: "code", type: .text, maxLength: 6, pattern: "[A-Z]{2}-[0-9]+")
        check(.text, [("AB-12", "AB-12"), ("AB-1234", nil), ("ab-12", nil), ("xAB-12", nil)], rule: rule)
        let bytes = FieldRule(name: "n", type: .name, maxLength: 4)
        check(.name, [("Zoë", "Zoë"), ("Zoëa", nil)], rule: bytes)
        let broken = FieldRule(name: "x", type: .text, pattern: "([")
        #expect(throws: FieldProblem.self) { try Normalizer.normalize("a", as: broken, settings: .init()).get() }
    }

    @Test func multiValued() throws {
        let rule = FieldRule(name: "email", type: .email, multiValued: true)
        let ok = try Normalizer.normalizeField(" B@x.de | a@x.de||b@X.de ", as: rule, settings: .init()).get()
        #expect(ok == .multiple(["a@x.de", "b@x.de"]))
        #expect(try Normalizer.normalizeField(" | ", as: rule, settings: .init()).get() == nil)
        #expect(try Normalizer.normalizeField("a@x.de", as: rule, settings: .init()).get() == .multiple(["a@x.de"]))
        let bad = Normalizer.normalizeField("a@x.de|nope", as: rule, settings: .init())
        #expect(bad == .failure(FieldProblem(reason: "part 2: not an email address")))
        let semicolon = NormalizationSettings(multiValueSeparator: UInt8(ascii: ";"))
        let phones = FieldRule(name: "phone", type: .phone, multiValued: true)
        #expect(try Normalizer.normalizeField("0151 2345678;+491512345678", as: phones, settings: semicolon).get()
            == .multiple(["+491512345678"]))
    }
}
