import AccordConsolidation
import Testing

@Suite struct MatchNormalizerTests {
    let normalizer = MatchNormalizer(.standard)

    @Test(arguments: [
        ("Müller", "mueller"), ("MÜLLER", "mueller"), ("Mueller", "mueller"),
        ("Mu\u{0308}ller", "mueller"),  // decomposed umlaut
        ("Weiß", "weiss"), ("WEISS", "weiss"), ("Straßer", "strasser"),
        ("von Bülow", "buelow"), ("Bülow", "buelow"), ("van den Berg", "berg"), ("de Vries", "vries"),
        ("O'Brien", "obrien"), ("O’Brien", "obrien"), ("Müller-Lüdenscheidt", "muellerluedenscheidt"),
        ("Łukasz", "lukasz"), ("Dvořák", "dvorak"), ("Yılmaz", "yilmaz"), ("Øberg", "oeberg"), ("Åberg", "aaberg"),
        ("  Dr. Schmidt ", "schmidt"), ("Schmidt Jr.", "schmidt"), ("Von", "von"),
        ("", ""), ("  ", ""), ("--", ""),
    ])
    func familyNames(_ raw: String, _ expected: String) {
        #expect(normalizer.familyName(raw) == (expected.isEmpty ? nil : expected), "\(raw)")
    }

    @Test(arguments: [
        ("Hans-Peter", "hanspeter"), ("Hans Peter", "hanspeter"), ("HANS-PETER", "hanspeter"),
        ("Zoë", "zoe"), ("Chloé", "chloe"), ("Ana-Sofía", "anasofia"), ("Małgorzata", "malgorzata"), ("Søren", "soeren"),
        ("Çağlar", "caglar"), ("Jérôme", "jerome"), ("Dr. Anna", "anna"), ("Mr Bill", "bill"),
        ("ἈΛΈΞΑΝΔΡΟΣ", "ἀλέξανδροσ"),  // other scripts are kept, lower-cased letter by letter
    ])
    func givenNames(_ raw: String, _ expected: String) {
        #expect(normalizer.givenName(raw) == expected, "\(raw)")
    }

    @Test(arguments: [
        (" Anna.Mueller@Example.COM ", true, "anna.mueller@example.com"),
        ("a.n.n.a+shop@gmail.com", true, "anna@gmail.com"),
        ("Anna.Mueller+news@GoogleMail.com", true, "annamueller@gmail.com"),
        ("a.n.n.a+shop@gmail.com", false, "a.n.n.a+shop@gmail.com"),
        ("anna.mueller+x@web.de", true, "anna.mueller+x@web.de"),  // no documented rule for web.de
        ("not an email", true, ""), ("anna@", true, ""), ("", true, ""),
    ])
    func emails(_ raw: String, _ providerRules: Bool, _ expected: String) {
        var settings = MatchNormalization.standard
        settings.emailProviderRules = providerRules
        #expect(MatchNormalizer(settings).email(raw) == (expected.isEmpty ? nil : expected), "\(raw)")
    }

    @Test(arguments: [
        ("0151 2345678", "DE", "+491512345678"), ("(0151) 234-5678", "DE", "+491512345678"),
        ("+49 (0)151 2345678", "DE", "+491512345678"), ("0049 151 2345678", "DE", "+491512345678"),
        ("+491512345678", "US", "+491512345678"), ("(415) 555-2671", "US", "+14155552671"),
        ("020 7946 0958", "GB", "+442079460958"), ("12", "DE", ""), ("call me", "DE", ""),
    ])
    func phones(_ raw: String, _ country: String, _ expected: String) {
        var settings = MatchNormalization.standard
        settings.defaultCountry = country
        #expect(MatchNormalizer(settings).phone(raw) == (expected.isEmpty ? nil : expected), "\(raw) in \(country)")
    }

    @Test(arguments: [
        ("1984-03-07", "dayFirst", "1984-03-07"), ("07.03.1984", "dayFirst", "1984-03-07"), ("7.3.1984", "dayFirst", "1984-03-07"),
        ("19840307", "dayFirst", "1984-03-07"), ("1984/03/07", "dayFirst", "1984-03-07"),
        ("03/07/1984", "monthFirst", "1984-03-07"), ("03/07/1984", "dayFirst", "1984-07-03"),
        ("7. März 1984", "dayFirst", "1984-03-07"), ("7 Maerz 1984", "dayFirst", "1984-03-07"),
        ("March 7, 1984", "monthFirst", "1984-03-07"), ("7th Mar 1984", "dayFirst", "1984-03-07"),
        ("1984-03-07T10:30:00Z", "dayFirst", "1984-03-07"), ("31.02.1984", "dayFirst", ""), ("yesterday", "dayFirst", ""),
        ("07.03.84", "dayFirst", ""),  // two-digit years are ambiguous: missing rather than guessed
    ])
    func dates(_ raw: String, _ order: String, _ expected: String) {
        var settings = MatchNormalization.standard
        settings.dateOrder = order
        #expect(MatchNormalizer(settings).date(raw) == (expected.isEmpty ? nil : expected), "\(raw) \(order)")
    }

    @Test(arguments: [
        ("Hauptstraße 12 a", "hauptstr 12a"), ("Hauptstr. 12a", "hauptstr 12a"), ("HAUPTSTRASSE 12A", "hauptstr 12a"),
        ("Haupt-Straße 12a", "hauptstr 12a"), ("Neue Straße 5", "neuestr 5"), ("Neuestr. 5", "neuestr 5"),
        ("Hauptstr. 12, Whg. 3", "hauptstr 12"), ("Hauptstr. 12-14", "hauptstr 12"), ("Marktplatz 1", "marktpl 1"),
        ("12 Main Street, Apt 4", "mainst 12"), ("12 Main St.", "mainst 12"), ("Apt 4, 12 Main St", "mainst 12"),
        ("221B Baker Street", "bakerst 221b"), ("Am Markt", "ammarkt"), ("Käthe-Kollwitz-Straße 3", "kaethekollwitzstr 3"),
        ("", ""),
    ])
    func streets(_ raw: String, _ expected: String) {
        #expect(normalizer.street(raw) == (expected.isEmpty ? nil : expected), "\(raw)")
    }

    @Test(arguments: [
        ("10115", "DE", "10115"), ("D-10115", "DE", "10115"), ("de 10115", "DE", "10115"), ("1067", "DE", "01067"),
        ("SW1A 1AA", "GB", "SW1A1AA"), ("1010", "AT", "1010"), ("x", "DE", ""),
    ])
    func postcodes(_ raw: String, _ country: String, _ expected: String) {
        var settings = MatchNormalization.standard
        settings.defaultCountry = country
        #expect(MatchNormalizer(settings).postcode(raw) == (expected.isEmpty ? nil : expected), "\(raw)")
    }

    @Test(arguments: [
        ("Halle (Saale)", "halle"), ("München", "muenchen"), ("MUENCHEN", "muenchen"), ("Frankfurt am Main", "frankfurtammain"),
    ])
    func cities(_ raw: String, _ expected: String) {
        #expect(normalizer.city(raw) == expected)
    }
}
