import Foundation
import Testing

import AccordPolicy

/// The optional `attributes[].purposes`: which consent purposes an attribute is collected for.
@Suite("Policy: attribute purposes (data minimization)")
struct AttributePurposesTests {
    static let consent = #", "consent": { "channels": ["email"], "purposes": ["marketing", "service"], "shareClass": "contact" }"#

    func document(email purposes: String?, consent: Bool = true) throws -> String {
        var text = try mutate([(#""pii": "direct" }"#, #""pii": "direct""# + (purposes.map { #", "purposes": \#($0)"# } ?? "") + " }")])
        text = String(text.dropLast(2)) + (consent ? Self.consent : "") + "\n}"
        return text
    }

    @Test func purposesParseSortedAndAreCanonicalOnlyWhenDeclared() throws {
        let declared = try Policy.parse(Array(try document(email: #"["service", "marketing"]"#).utf8))
        #expect(declared.attribute("email")?.purposes == ["marketing", "service"])
        #expect(declared.attribute("iban")?.purposes == nil)
        let canonical = declared.canonicalJSON()
        #expect(String(decoding: canonical, as: UTF8.self).contains(#""purposes":["marketing","service"]"#))
        #expect(try Policy.parse(canonical) == declared)
        let none = try Policy.parse(Array(try document(email: "[]").utf8))
        #expect(none.attribute("email")?.purposes == [])
        #expect(try Policy.parse(none.canonicalJSON()) == none && none != declared)
        let absent = try Policy.parse(Array(try document(email: nil).utf8))
        #expect(absent.attribute("email")?.purposes == nil)
        #expect(String(decoding: absent.canonicalJSON(), as: UTF8.self).components(separatedBy: "\"purposes\"").count == 2, "only the consent model's purposes")
    }

    @Test(arguments: [
        (#"["sales"]"#, true, "$.attributes[0].purposes[0]"),
        (#"["service", "service"]"#, true, "$.attributes[0].purposes[1]"),
        (#""service""#, true, "$.attributes[0].purposes"),
        (#"[1]"#, true, "$.attributes[0].purposes[0]"),
        (#"["service"]"#, false, "$.attributes[0].purposes"),
    ])
    func malformedPurposesAreRefusedWithTheirPath(purposes: String, consent: Bool, path: String) throws {
        let text = try document(email: purposes, consent: consent)
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(text.utf8), source: "policy.json") }
        #expect(error.path == path, "\(error)")
    }

    @Test func unknownPurposeNamesTheKnownOnes() throws {
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(try document(email: #"["sales"]"#).utf8)) }
        #expect(error.message.contains("unknown purpose \"sales\"") && error.message.contains("marketing, service"), "\(error)")
    }
}
