import Foundation
import Testing

import AccordPolicy

/// One invalid document: a valid base with some text replaced, and the error it must raise.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let replacements: [(String, String)]
    let code: PolicyError.Code
    let path: String

    init(_ name: String, _ replacements: [(String, String)], _ code: PolicyError.Code, _ path: String) {
        self.name = name
        self.replacements = replacements
        self.code = code
        self.path = path
    }

    var testDescription: String { name }
}

/// A small valid policy the error cases mutate.
let basePolicy = """
    {
      "format": "accord-policy/1",
      "federation": "acme",
      "version": 1,
      "defaults": { "country": "DE", "dateOrder": "dayFirst" },
      "clock": { "maxFutureMillis": 60000 },
      "units": [
        { "id": "governance", "roles": ["governance"] },
        { "id": "retail", "roles": ["unit"], "country": "DE" },
        { "id": "insurance", "roles": ["unit"] }
      ],
      "shareClasses": [
        { "name": "contact", "audience": "all" },
        { "name": "financial", "audience": ["insurance", "governance"] }
      ],
      "attributes": [
        { "name": "email", "type": "email", "multiValued": true, "shareClass": "contact", "pii": "direct" },
        { "name": "iban", "type": "text", "shareClass": "financial", "pii": "sensitive", "authors": ["insurance"] }
      ]
    }
    """

/// Applies replacements, each of which must match exactly once (so no case passes vacuously);
/// a replacement containing `<EOF>` truncates the document at that point.
func mutate(_ replacements: [(String, String)]) throws -> String {
    var text = basePolicy
    for (old, new) in replacements {
        let occurrences = text.components(separatedBy: old).count - 1
        try #require(occurrences == 1, "\"\(old)\" occurs \(occurrences) times in the base policy")
        text = text.replacingOccurrences(of: old, with: new)
    }
    // "<EOF>" truncates the document there.
    if let cut = text.range(of: "<EOF>") { text = String(text[..<cut.lowerBound]) }
    return text
}

let emailAttribute = #"{ "name": "email", "type": "email", "multiValued": true, "shareClass": "contact", "pii": "direct" }"#

let errorCases: [ErrorCase] = [
    // Missing fields.
    ErrorCase("missing federation", [(#""federation": "acme","#, "")], .missingField, "$.federation"),
    ErrorCase("missing attribute pii", [(#", "pii": "direct" }"#, " }")], .missingField, "$.attributes[0].pii"),
    ErrorCase("missing unit roles", [(#"{ "id": "insurance", "roles": ["unit"] }"#, #"{ "id": "insurance" }"#)], .missingField, "$.units[2].roles"),
    ErrorCase("missing clock", [(#""clock": { "maxFutureMillis": 60000 },"#, "")], .missingField, "$.clock"),
    // Wrong types, bool vs number both ways.
    ErrorCase("multiValued as number", [(#""multiValued": true"#, #""multiValued": 1"#)], .wrongType, "$.attributes[0].multiValued"),
    ErrorCase("version as boolean", [(#""version": 1,"#, #""version": true,"#)], .wrongType, "$.version"),
    ErrorCase("version as fraction", [(#""version": 1,"#, #""version": 1.5,"#)], .wrongType, "$.version"),
    ErrorCase("version as exponent", [(#""version": 1,"#, #""version": 1e0,"#)], .wrongType, "$.version"),
    ErrorCase("version as string", [(#""version": 1,"#, #""version": "1","#)], .wrongType, "$.version"),
    ErrorCase("maxFutureMillis as boolean", [("60000", "false")], .wrongType, "$.clock.maxFutureMillis"),
    ErrorCase("units as object", [(#""units": ["#, #""units": {"x": ["#), ("\n  ],\n  \"shareClasses\"", "\n  ]},\n  \"shareClasses\"")], .wrongType, "$.units"),
    ErrorCase("attribute as string", [(emailAttribute, #""email""#)], .wrongType, "$.attributes[0]"),
    ErrorCase("audience as number", [(#""audience": "all""#, #""audience": 5"#)], .wrongType, "$.shareClasses[0].audience"),
    ErrorCase("role as null", [(#"["governance"]"#, "[null]")], .wrongType, "$.units[0].roles[0]"),
    // Unknown keys, nested; reserved keys are not unknown.
    ErrorCase("unknown nested key", [(#""shareClass": "financial""#, #""sharClass": "financial""#)], .unknownKey, "$.attributes[1].sharClass"),
    ErrorCase("unknown top-level key", [(#""version": 1,"#, #""version": 1, "colour": "red","#)], .unknownKey, "$.colour"),
    ErrorCase("unknown key in defaults", [(#""dateOrder": "dayFirst""#, #""dateOrder": "dayFirst", "timezone": "UTC""#)], .unknownKey, "$.defaults.timezone"),
    ErrorCase("reserved key inside a unit", [(#"{ "id": "governance","#, #"{ "id": "governance", "signature": "x","#)], .unknownKey, "$.units[0].signature"),
    // Duplicates.
    ErrorCase("duplicate unit id", [(#"{ "id": "insurance","#, #"{ "id": "retail","#)], .duplicate, "$.units[2].id"),
    ErrorCase("duplicate share class", [(#""name": "financial""#, #""name": "contact""#)], .duplicate, "$.shareClasses[1].name"),
    ErrorCase("duplicate attribute", [(#""name": "iban""#, #""name": "email""#)], .duplicate, "$.attributes[1].name"),
    ErrorCase("duplicate JSON key", [(#"{ "id": "retail","#, #"{ "id": "retail", "id": "retail2","#)], .duplicate, "$.units[1].id"),
    ErrorCase("duplicate audience unit", [(#"["insurance", "governance"]"#, #"["insurance", "insurance"]"#)], .duplicate, "$.shareClasses[1].audience[1]"),
    ErrorCase("duplicate role", [(#"["governance"]"#, #"["governance", "governance"]"#)], .duplicate, "$.units[0].roles[1]"),
    // Unknown references.
    ErrorCase("unknown share class", [(#""shareClass": "contact""#, #""shareClass": "contacts""#)], .unknownReference, "$.attributes[0].shareClass"),
    ErrorCase("unknown audience unit", [(#"["insurance", "governance"]"#, #"["insurance", "marketing"]"#)], .unknownReference, "$.shareClasses[1].audience[1]"),
    ErrorCase("unknown author", [(#""authors": ["insurance"]"#, #""authors": ["insurance", "bank"]"#)], .unknownReference, "$.attributes[1].authors[1]"),
    // Invalid values.
    ErrorCase("enum without allowedValues", [(#""type": "text""#, #""type": "enum""#)], .missingField, "$.attributes[1].allowedValues"),
    ErrorCase("enum with empty allowedValues", [(#""type": "text""#, #""type": "enum", "allowedValues": []"#)], .invalidValue, "$.attributes[1].allowedValues"),
    ErrorCase("allowedValues on text", [(#""type": "text""#, #""type": "text", "allowedValues": ["a"]"#)], .invalidValue, "$.attributes[1].allowedValues"),
    ErrorCase("duplicate allowed value", [(#""type": "text""#, #""type": "enum", "allowedValues": ["a", "b", "a"]"#)], .duplicate, "$.attributes[1].allowedValues[2]"),
    ErrorCase("bad regex pattern", [(#""pii": "sensitive""#, #""pii": "sensitive", "pattern": "^([A-Z]{2}""#)], .invalidValue, "$.attributes[1].pattern"),
    ErrorCase("unit id with uppercase", [(#""id": "retail""#, #""id": "Retail""#)], .invalidValue, "$.units[1].id"),
    ErrorCase("attribute name starting with digit", [(#""name": "iban""#, #""name": "1iban""#)], .invalidValue, "$.attributes[1].name"),
    ErrorCase("id of 64 characters", [(#""id": "retail""#, "\"id\": \"r\(String(repeating: "x", count: 63))\"")], .invalidValue, "$.units[1].id"),
    ErrorCase("empty federation", [(#""federation": "acme""#, #""federation": """#)], .invalidValue, "$.federation"),
    ErrorCase("reserved attribute name id", [(#""name": "iban""#, #""name": "id""#)], .invalidValue, "$.attributes[1].name"),
    ErrorCase("reserved attribute name local_id", [(#""name": "email""#, #""name": "local_id""#)], .invalidValue, "$.attributes[0].name"),
    ErrorCase("reserved share class policy", [(#""name": "financial""#, #""name": "policy""#), (#""shareClass": "financial""#, #""shareClass": "policy""#)], .invalidValue, "$.shareClasses[1].name"),
    ErrorCase("version 0", [(#""version": 1,"#, #""version": 0,"#)], .invalidValue, "$.version"),
    ErrorCase("version -1", [(#""version": 1,"#, #""version": -1,"#)], .invalidValue, "$.version"),
    ErrorCase("version beyond Int64", [(#""version": 1,"#, #""version": 99999999999999999999,"#)], .invalidValue, "$.version"),
    ErrorCase("wrong format", [("accord-policy/1", "accord-policy/2")], .invalidValue, "$.format"),
    ErrorCase("unknown attribute type", [(#""type": "text""#, #""type": "strng""#)], .invalidValue, "$.attributes[1].type"),
    ErrorCase("unknown pii class", [(#""pii": "direct""#, #""pii": "secret""#)], .invalidValue, "$.attributes[0].pii"),
    ErrorCase("unknown role", [(#"["governance"]"#, #"["admin"]"#)], .invalidValue, "$.units[0].roles[0]"),
    ErrorCase("empty roles", [(#"["governance"]"#, "[]")], .invalidValue, "$.units[0].roles"),
    ErrorCase("empty units", [("\n    { \"id\": \"governance\", \"roles\": [\"governance\"] },\n    { \"id\": \"retail\", \"roles\": [\"unit\"], \"country\": \"DE\" },\n    { \"id\": \"insurance\", \"roles\": [\"unit\"] }\n  ", "")], .invalidValue, "$.units"),
    ErrorCase("audience word", [(#""audience": "all""#, #""audience": "everyone""#)], .invalidValue, "$.shareClasses[0].audience"),
    ErrorCase("empty authors", [(#""authors": ["insurance"]"#, #""authors": []"#)], .invalidValue, "$.attributes[1].authors"),
    ErrorCase("maxLength 0", [(#""pii": "sensitive""#, #""pii": "sensitive", "maxLength": 0"#)], .invalidValue, "$.attributes[1].maxLength"),
    ErrorCase("maxLength 10001", [(#""pii": "sensitive""#, #""pii": "sensitive", "maxLength": 10001"#)], .invalidValue, "$.attributes[1].maxLength"),
    ErrorCase("maxFutureMillis too large", [("60000", "86400001")], .invalidValue, "$.clock.maxFutureMillis"),
    ErrorCase("lowercase country", [(#""country": "DE", "dateOrder""#, #""country": "de", "dateOrder""#)], .invalidValue, "$.defaults.country"),
    ErrorCase("unassigned country", [(#""roles": ["unit"], "country": "DE""#, #""roles": ["unit"], "country": "XX""#)], .invalidValue, "$.units[1].country"),
    ErrorCase("unknown date order", [("dayFirst", "dayfirst")], .invalidValue, "$.defaults.dateOrder"),
    // Malformed JSON: truncated, with the path being read.
    ErrorCase("truncated document", [(#", "authors": ["insurance"] }"#, #", "authors": ["insurance"<EOF>"#)], .malformedJSON, "$.attributes[1].authors"),
    ErrorCase("truncated string", [(#", "authors": ["insurance"] }"#, #", "authors": ["insura<EOF>"#)], .malformedJSON, "$.attributes[1].authors[0]"),
    ErrorCase("trailing comma", [(#""roles": ["unit"] }"#, #""roles": ["unit"], }"#)], .malformedJSON, "$.units[2]"),
]

@Suite struct PolicyErrorTests {
    @Test(arguments: errorCases)
    func invalidPolicyIsRejected(_ testCase: ErrorCase) throws {
        let text = try mutate(testCase.replacements)
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(text.utf8), source: "policy.json") }
        #expect(error.code == testCase.code, "\(error)")
        #expect(error.path == testCase.path, "\(error)")
        #expect(error.description.hasPrefix("policy.json: \(testCase.path): "))
    }

    @Test func baseAndReservedKeysAreAccepted() throws {
        _ = try Policy.parse(Array(basePolicy.utf8))
        var text = basePolicy
        text.removeLast()  // closing brace
        text += #", "writeRules": [], "purposes": ["x"] }"#
        let policy = try Policy.parse(Array(text.utf8))
        #expect(policy == (try Policy.parse(Array(basePolicy.utf8))))
    }

    @Test(arguments: [
        (#""consent": {"channels": ["email"], "purposes": ["marketing"], "shareClass": "nope"}"#, "$.consent.shareClass", PolicyError.Code.unknownReference),
        (#""consent": {"channels": ["all"], "purposes": ["marketing"], "shareClass": "c"}"#, "$.consent.channels[0]", .invalidValue),
        (#""consent": {"channels": [], "purposes": ["marketing"], "shareClass": "c"}"#, "$.consent.channels", .invalidValue),
        (#""consent": {"channels": ["email", "email"], "purposes": ["x"], "shareClass": "c"}"#, "$.consent.channels[1]", .duplicate),
    ])
    func malformedConsentModelsAreRefused(section: String, path: String, code: PolicyError.Code) throws {
        var text = basePolicy
        text.removeLast()
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array((text + ", " + section + "}").utf8)) }
        #expect(error.code == code && error.path == path, "\(error)")
    }

    @Test func aMalformedSignatureSectionIsRefusedWithItsPath() throws {
        var text = basePolicy
        text.removeLast()
        let error = try #require(throws: PolicyError.self) {
            try Policy.parse(Array((text + #", "signature": {"alg": "ed25519"}}"#).utf8))
        }
        #expect(error.code == .unknownKey && error.path == "$.signature.alg")
    }

    @Test func truncatedDocumentSaysWhatWasExpected() throws {
        let text = try mutate([(#", "authors": ["insurance"] }"#, #", "authors": ["insurance"<EOF>"#)])
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(text.utf8)) }
        #expect(error.message.hasSuffix("unexpected end of document, expected ',' or ']'"))
        let versionZero = try #require(throws: PolicyError.self) {
            try Policy.parse(Array(try mutate([(#""version": 1,"#, #""version": 0,"#)]).utf8))
        }
        #expect(versionZero.message == "0 is out of range (allowed: at least 1)")
    }

    @Test func messagesNameThePathAndTheExpectedValues() throws {
        let text = try mutate([(#""type": "text""#, #""type": "strng""#)])
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(text.utf8), source: "policy.json") }
        #expect(
            error.description
                == #"policy.json: $.attributes[1].type: unknown attribute type "strng" "#
                + "(expected one of: text, name, email, phone, date, postcode, country, enum)")
        #expect(error == PolicyError(.invalidValue, "anything", path: "$"))  // equality compares codes only
        #expect(error != PolicyError(.wrongType, "unknown attribute type", path: "$.attributes[1].type"))
    }

    @Test func malformedJSONReportsLineAndColumn() throws {
        // Truncated in the middle of line 18 (the iban attribute).
        let text = try mutate([(#""pii": "sensitive", "authors""#, #""pii": "sensi"#)])
        let truncated = String(text.prefix(upTo: try #require(text.range(of: #""sensi"#)).upperBound))
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(truncated.utf8)) }
        #expect(error.code == .malformedJSON)
        #expect(error.path == "$.attributes[1].pii")
        let lastLine = try #require(truncated.split(separator: "\n", omittingEmptySubsequences: false).last)
        let quote = lastLine.distance(from: lastLine.startIndex, to: try #require(lastLine.range(of: #""sensi"#)).lowerBound)
        #expect(error.position == PolicyError.TextPosition(line: 18, column: quote + 1))
        #expect(error.message.contains("line 18, column \(quote + 1)"))
        #expect(error.message.contains("unterminated string"))

        let empty = try #require(throws: PolicyError.self) { try Policy.parse([]) }
        #expect(empty.code == .malformedJSON && empty.path == "$" && empty.position == .init(line: 1, column: 1))

        let multiByte = try #require(throws: PolicyError.self) { try Policy.parse(Array("{\"é\": [1 2]}".utf8)) }
        #expect(multiByte.position == .init(line: 1, column: 10) && multiByte.path == "$[\"é\"]")

        let invalidUTF8 = try #require(throws: PolicyError.self) { try Policy.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
        #expect(invalidUTF8.code == .malformedJSON)
    }

    @Test func loadPrefixesTheFileNameAndReportsUnreadableFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.json")
        try Data(mutate([(#""version": 1,"#, #""version": 0,"#)]).utf8).write(to: file)
        let error = try #require(throws: PolicyError.self) { try Policy.load(contentsOf: file.path) }
        #expect(error.code == .invalidValue)
        #expect(error.description.hasPrefix("bad.json: $.version: "))

        let missing = try #require(throws: PolicyError.self) {
            try Policy.load(contentsOf: directory.appendingPathComponent("absent.json").path)
        }
        #expect(missing.code == .unreadable && missing.path.isEmpty)
        #expect(missing.description.hasPrefix("absent.json: cannot read "))
    }
}
