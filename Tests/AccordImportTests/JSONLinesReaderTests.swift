import AccordImport
import Testing

@Suite struct JSONLinesReaderTests {
    @Test func typesNullsArraysAndMissingKeys() throws {
        let text = """
            {"id": "A-1", "email": ["a@x.de", "b@y.de"], "age": 42, "vip": true, "phone": null, "extra": {"x": [1, {"y": 2}]}}
            {"id":"A-2","name":"J\\u00fcrgen \\"J\\"","age":-1.5e3}

            {"id": "A-3", "vip": false
            {"id": "A-4", "name": {"nested": 1}}
            """
        let reader = JSONLinesReader(bytes: Array(text.utf8), columns: ["id", "name", "email", "phone", "age", "vip"])
        let r1 = try #require(try reader.next())
        #expect(r1.line == 1)
        #expect(r1.fields == ["A-1", "", "a@x.de|b@y.de", "", "42", "true"])
        #expect(r1.malformed == nil)
        let r2 = try #require(try reader.next())
        #expect(r2.fields == ["A-2", "Jürgen \"J\"", "", "", "-1.5e3", ""])
        let r3 = try #require(try reader.next())
        #expect(r3.line == 4)
        #expect(r3.malformed != nil)
        #expect(r3.fields.allSatisfy { $0.isEmpty })
        let r4 = try #require(try reader.next())
        #expect(r4.line == 5)
        #expect(r4.malformed != nil)
        #expect(try reader.next() == nil)
    }

    @Test func malformedLineBecomesRowErrorWithoutValues() throws {
        let reader = JSONLinesReader(bytes: Array("{\"id\": \"secret-value\", oops}\n".utf8), columns: ["id"])
        let row = try #require(try reader.next())
        let importer = try RowImporter(rules: [], mapping: ImportMapping(), header: reader.header, settings: .init())
        guard case .rejected(let line, let errors) = importer.convert(row) else {
            Issue.record("expected rejection")
            return
        }
        #expect(line == 1)
        #expect(errors.count == 1)
        #expect(!errors[0].description.contains("secret"))
        #expect(errors[0].description.hasPrefix("line 1: malformed JSON line"))
    }

    @Test func surrogatePairsAndCRLF() throws {
        let reader = JSONLinesReader(bytes: Array("{\"n\":\"\\ud83d\\ude00\"}\r\n{\"n\":\"ok\"}".utf8), columns: ["n"])
        #expect(try reader.next()?.fields == ["😀"])
        #expect(try reader.next()?.fields == ["ok"])
        #expect(try reader.next() == nil)
    }
}
