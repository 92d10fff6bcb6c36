import Testing

@testable import AccordPolicy

/// The strict JSON parser under the policy loader.
@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8), source: "test")
    }

    private func failure(_ text: String) throws -> PolicyError {
        try #require(throws: PolicyError.self) { try parse(text) }
    }

    @Test func keepsBooleansApartFromNumbers() throws {
        #expect(try parse("[true, false, 1, 0, 1.5, -2e3, null]")
            == .array([.bool(true), .bool(false), .number("1"), .number("0"), .number("1.5"), .number("-2e3"), .null]))
        #expect(JSONValue.number("1").typeName == "integer")
        #expect(JSONValue.number("1.0").typeName == "number")
        #expect(JSONValue.bool(true).typeName == "boolean")
    }

    @Test func decodesStringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\té😀"))
        #expect(try parse("\"é😀\"") == .string("é😀"))
        // A byte order mark is skipped.
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8), source: "t") == .object([]))
    }

    @Test(arguments: [
        ("", "unexpected end of document"),
        ("{\"a\": 1,}", "expected a key string"),
        ("[1,]", "expected a value"),
        ("[01]", "expected ',' or ']'"),
        ("[-]", "expected a digit"),
        ("[1.]", "after '.'"),
        ("[1e]", "exponent"),
        ("[tru]", "expected true"),
        ("{} x", "after the end of the document"),
        ("[\"a\nb\"]", "control character"),
        ("[\"\\x\"]", "invalid escape"),
        ("[\"\\ud800\"]", "unpaired surrogate"),
        ("[\"\\udc00\"]", "unpaired surrogate"),
        ("[\"\\u12g4\"]", "invalid hex digit"),
        ("{'a': 1}", "expected a key string"),
        ("{\"a\" 1}", "expected ':'"),
        ("[NaN]", "expected a value"),
    ])
    func rejectsMalformedInput(_ text: String, _ expected: String) throws {
        let error = try failure(text)
        #expect(error.code == .malformedJSON)
        #expect(error.message.contains(expected), "\(error)")
    }

    @Test func reportsLineColumnAndPath() throws {
        let error = try failure("{\n  \"units\": [\n    {\"id\": \"a\"},\n    {\"id\" \"b\"}\n  ]\n}")
        #expect(error.position == .init(line: 4, column: 11))
        #expect(error.path == "$.units[1].id")
        #expect(error.description.hasPrefix("test: $.units[1].id: malformed JSON at line 4, column 11: "))
    }

    @Test func rejectsDuplicateKeysAndDeepNesting() throws {
        let duplicate = try failure(#"{"a": {"b": 1, "b": 2}}"#)
        #expect(duplicate.code == .duplicate && duplicate.path == "$.a.b")
        let deep = try failure(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))
        #expect(deep.code == .malformedJSON && deep.message.contains("nesting"))
        _ = try parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
    }

    @Test func pathsQuoteUnusualKeys() {
        #expect(JSONPath.root.key("units").index(2).key("id").description == "$.units[2].id")
        #expect(JSONPath.root.key("a b").key("1x").key("q\"").description == #"$["a b"]["1x"]["q\""]"#)
    }
}
