import AccordImport

/// CSV and JSON-lines import as fuzz targets: the readers and row conversion under a catalog like
/// the sample policy's. Every row either converts or is refused with errors that name a line and a
/// column; nothing may crash.
enum ImportFuzzing {
    /// The sample catalog's attributes as import rules.
    static let rules: [FieldRule] = [
        FieldRule(name: "given_name", type: .name, maxLength: 100),
        FieldRule(name: "family_name", type: .name, maxLength: 100),
        FieldRule(name: "birth_date", type: .date),
        FieldRule(name: "email", type: .email, multiValued: true),
        FieldRule(name: "phone", type: .phone, multiValued: true),
        FieldRule(name: "street", type: .text, maxLength: 200),
        FieldRule(name: "postcode", type: .postcode),
        FieldRule(name: "country", type: .country),
        FieldRule(name: "segment", type: .enumeration, allowedValues: ["standard", "premium", "business"]),
        FieldRule(name: "iban", type: .text, pattern: "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
    ]

    static let columns = ["id"] + rules.map(\.name)

    static func csv(_ bytes: [UInt8]) -> Bool {
        guard let reader = try? CSVReader(bytes: bytes),
              let importer = try? RowImporter(rules: rules, mapping: ImportMapping(), header: reader.header, settings: NormalizationSettings())
        else { return false }
        var rows = 0
        while rows < 10_000, let row = try? reader.next() {
            check(importer.convert(row))
            rows += 1
        }
        return rows > 0
    }

    static func jsonl(_ bytes: [UInt8]) -> Bool {
        let reader = JSONLinesReader(bytes: bytes, columns: columns)
        guard let importer = try? RowImporter(rules: rules, mapping: ImportMapping(), header: reader.header, settings: NormalizationSettings())
        else {
            FuzzTarget.check(false, "the JSON-lines header does not make an importer")
            return false
        }
        var rows = 0
        while rows < 10_000, let row = try? reader.next() {
            check(importer.convert(row))
            rows += 1
        }
        return rows > 0
    }

    /// A refused row names at least one error, each with a line number.
    private static func check(_ outcome: RowOutcome) {
        if case .rejected(let line, let errors) = outcome {
            FuzzTarget.check(line >= 1 && !errors.isEmpty, "a refused row has no line or no error")
        }
    }
}
