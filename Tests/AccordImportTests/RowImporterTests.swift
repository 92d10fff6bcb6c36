import AccordImport
import Testing

let customerRules: [FieldRule] = [
    FieldRule(name: "given_name", type: .name, required: true),
    FieldRule(name: "family_name", type: .name, required: true),
    FieldRule(name: "birth_date", type: .date),
    FieldRule(name: "email", type: .email, multiValued: true),
    FieldRule(name: "phone", type: .phone, multiValued: true),
    FieldRule(name: "street", type: .text),
    FieldRule(name: "city", type: .text),
    FieldRule(name: "postcode", type: .postcode),
    FieldRule(name: "country", type: .country),
    FieldRule(name: "segment", type: .enumeration, allowedValues: ["standard", "premium", "business"]),
]

@Suite struct RowImporterTests {
    let header = ["customer_no", "given_name", "family_name", "mail", "phone", "birth_date", "notes"]

    func importer() throws -> RowImporter {
        try RowImporter(
            rules: customerRules, mapping: try ImportMapping.parse("id=customer_no,email=mail"), header: header,
            settings: .init())
    }

    @Test func convertsAndReportsUnmapped() throws {
        let importer = try importer()
        #expect(importer.unmappedColumns == ["notes"])
        let row = SourceRow(line: 2, fields: [" C-1 ", "Zoë", "Müller", "ZOE@WEB.DE", "0151 2345678", "07.03.1984", "x"])
        guard case .record(let record) = importer.convert(row) else {
            Issue.record("expected a record")
            return
        }
        #expect(record.localId == "C-1")
        #expect(record.line == 2)
        #expect(record.values.map(\.attribute) == ["given_name", "family_name", "birth_date", "email", "phone"])
        #expect(record.value("email") == .multiple(["zoe@web.de"]))
        #expect(record.value("birth_date") == .single("1984-03-07"))
    }

    @Test func rejectsWholeRowWithAllErrorsAndNoValues() throws {
        let importer = try importer()
        let secrets = ["not-a-mail-secret", "12x34", "31.02.1999"]
        let row = SourceRow(line: 17, fields: ["C-2", "Anna", "", secrets[0], secrets[1], secrets[2], ""])
        guard case .rejected(let line, let errors) = importer.convert(row) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(line == 17)
        #expect(errors.map(\.column) == ["family_name", "birth_date", "mail", "phone"])
        #expect(errors[2].description == "line 17, column \"mail\": part 1: not an email address")
        for error in errors {
            for secret in secrets { #expect(!error.description.contains(secret)) }
        }
    }

    @Test func fieldCountAndIdChecks() throws {
        let importer = try importer()
        let short = importer.convert(SourceRow(line: 3, fields: ["a", "b"]))
        guard case .rejected(_, let errors) = short else { Issue.record("expected rejection"); return }
        #expect(errors == [RowError(line: 3, column: "", reason: "expected 7 fields, found 2")])
        for id in ["", "  ", String(repeating: "9", count: 129), "a\u{0001}b"] {
            let outcome = importer.convert(SourceRow(line: 4, fields: [id, "A", "B", "", "", "", ""]))
            guard case .rejected(_, let errors) = outcome else { Issue.record("expected rejection for id"); continue }
            #expect(errors.first?.column == "customer_no")
        }
    }

    @Test func setupErrors() throws {
        #expect(throws: ImportError(.missingIdColumn, "")) {
            try RowImporter(rules: customerRules, mapping: ImportMapping(), header: header, settings: .init())
        }
        #expect(throws: ImportError(.unknownAttribute, "")) {
            try RowImporter(rules: customerRules, mapping: try .parse("id=customer_no,shoe_size=notes"), header: header, settings: .init())
        }
        #expect(throws: ImportError(.badMapping, "")) {
            try RowImporter(rules: customerRules, mapping: try .parse("id=customer_no,email=nope"), header: header, settings: .init())
        }
        #expect(throws: ImportError(.badMapping, "")) {
            try RowImporter(rules: customerRules, mapping: try .parse("id=customer_no"), header: ["customer_no"], settings: .init())
        }
    }

    @Test func csvEndToEndWithMismatchedRow() throws {
        let text = "id,given_name,family_name\n1,Anna,Schmidt\n2,Ben\n3,\"Zoë\",\"Lefèvre\"\n"
        let reader = try CSVReader(bytes: Array(text.utf8))
        let importer = try RowImporter(rules: Array(customerRules.prefix(2)), mapping: ImportMapping(), header: reader.header, settings: .init())
        var accepted = 0
        var rejected: [Int] = []
        while let row = try reader.next() {
            switch importer.convert(row) {
            case .record: accepted += 1
            case .rejected(let line, _): rejected.append(line)
            }
        }
        #expect(accepted == 2)
        #expect(rejected == [3])
    }

    @Test func importRowsMatchesRowByRowConversion() throws {
        let text = "id,given_name,family_name,email,phone\n 1 ,Anna,Schmidt,A@X.DE|b@y.de,0151 2345678\n2,Ben\n"
            + "3,\"Zo\"\"ë\",Rene\u{0301}e,x@y.de,\n4,,Weber,bad,\n5,\"x\"y,Z,,\n6,Jürgen,Øster,,+49 30 123456\n"
        let header = try CSVReader(bytes: Array(text.utf8)).header
        let importer = try RowImporter(rules: customerRules, mapping: ImportMapping(), header: header, settings: .init())
        func describe(_ outcome: RowOutcome) -> String {
            switch outcome {
            case .record(let r): return "\(r.line) \(r.localId) \(r.values.map { "\($0.attribute)=\($0.value)" })"
            case .rejected(let line, let errors): return "\(line) \(errors)"
            }
        }
        let reader = try CSVReader(bytes: Array(text.utf8))
        var slow: [String] = []
        while let row = try reader.next() { slow.append(describe(importer.convert(row))) }
        var fast: [String] = []
        let count = try importer.importRows(from: try CSVReader(bytes: Array(text.utf8))) { fast.append(describe($0)) }
        #expect(count == 6)
        #expect(fast == slow)
        #expect(fast[0] == "2 1 [\"given_name=single(\\\"Anna\\\")\", \"family_name=single(\\\"Schmidt\\\")\", \"email=multiple([\\\"a@x.de\\\", \\\"b@y.de\\\"])\", \"phone=multiple([\\\"+491512345678\\\"])\"]")
    }
}
