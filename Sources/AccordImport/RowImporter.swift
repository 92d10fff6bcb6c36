/// Turns source rows into normalized records or row errors, following rules and a mapping.
///
/// Build one per file (it resolves column positions and compiles rule patterns once), then call
/// ``convert(_:)`` per row; it is a value type and safe to share across threads.
public struct RowImporter: Sendable {
    private final class Slot: Sendable {
        let rule: CompiledRule
        let attribute: String
        let required: Bool
        /// Index into the row's fields, or -1 when no column feeds this rule.
        let column: Int
        let columnName: String

        init(rule: CompiledRule, column: Int, columnName: String) {
            self.rule = rule
            attribute = rule.rule.name
            required = rule.rule.required
            self.column = column
            self.columnName = columnName
        }
    }

    private let slots: [Slot]
    private let idIndex: Int
    private let idColumn: String
    private let fieldCount: Int
    /// Header columns that are neither the id column nor mapped to an attribute.
    public let unmappedColumns: [String]

    /// The largest local id accepted, in UTF-8 bytes.
    public static let maxIdLength = 128

    /// Prepares an importer.
    /// - Parameters:
    ///   - rules: attribute rules; records list values in this order.
    ///   - mapping: id column and column -> attribute mapping.
    ///   - header: the source's column names.
    ///   - settings: normalization settings.
    /// - Throws: ``ImportError`` `.missingIdColumn` if the id column is not in the header,
    ///   `.unknownAttribute` if the mapping names an attribute without a rule, `.badMapping` if a
    ///   mapped column is not in the header, two columns feed one attribute, a required attribute
    ///   has no column, or a rule's pattern does not compile; `.malformedHeader` for duplicate columns.
    public init(rules: [FieldRule], mapping: ImportMapping, header: [String], settings: NormalizationSettings) throws {
        var position: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard position[name] == nil else {
                throw ImportError(.malformedHeader, "column \"\(name)\" appears twice in the header")
            }
            position[name] = index
        }
        guard let idIndex = position[mapping.idColumn] else {
            throw ImportError(.missingIdColumn, "id column \"\(mapping.idColumn)\" is not in the header")
        }
        var ruleIndex: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            guard ruleIndex[rule.name] == nil else {
                throw ImportError(.badMapping, "attribute \"\(rule.name)\" has two rules")
            }
            ruleIndex[rule.name] = index
        }
        // attribute -> source column
        var source: [String: String] = [:]
        for (column, attribute) in mapping.columns.sorted(by: { $0.key < $1.key }) {
            guard ruleIndex[attribute] != nil else {
                throw ImportError(.unknownAttribute, "mapped attribute \"\(attribute)\" has no rule")
            }
            guard position[column] != nil else {
                throw ImportError(.badMapping, "mapped column \"\(column)\" is not in the header")
            }
            guard column != mapping.idColumn else {
                throw ImportError(.badMapping, "column \"\(column)\" is the id column and cannot feed an attribute")
            }
            if let other = source[attribute] {
                throw ImportError(.badMapping, "columns \"\(other)\" and \"\(column)\" both feed attribute \"\(attribute)\"")
            }
            source[attribute] = column
        }
        for name in header where name != mapping.idColumn && mapping.columns[name] == nil {
            if ruleIndex[name] != nil, source[name] == nil { source[name] = name }
        }
        var slots: [Slot] = []
        for rule in rules {
            let compiled: CompiledRule
            do {
                compiled = try CompiledRule(rule, settings: settings)
            } catch {
                throw ImportError(.badMapping, "rule \"\(rule.name)\": \(error.reason)")
            }
            if let column = source[rule.name] {
                slots.append(Slot(rule: compiled, column: position[column]!, columnName: column))
            } else {
                guard !rule.required else {
                    throw ImportError(.badMapping, "required attribute \"\(rule.name)\" has no source column")
                }
                slots.append(Slot(rule: compiled, column: -1, columnName: rule.name))
            }
        }
        let used = Set(source.values).union([mapping.idColumn])
        unmappedColumns = header.filter { !used.contains($0) }
        self.slots = slots
        self.idIndex = idIndex
        self.idColumn = mapping.idColumn
        fieldCount = header.count
    }

    /// Converts one row. A row with any error is rejected whole, listing every error.
    /// Checks: the reader's parse problem, field count, the id (present, ≤ 128 bytes, no control
    /// characters), every mapped field, and required attributes.
    /// - Parameter row: the source row.
    /// - Returns: the record or the rejection.
    public func convert(_ row: SourceRow) -> RowOutcome {
        if let malformed = row.malformed {
            return .rejected(line: row.line, errors: [RowError(line: row.line, column: "", reason: malformed)])
        }
        guard row.fields.count == fieldCount else {
            let reason = "expected \(fieldCount) fields, found \(row.fields.count)"
            return .rejected(line: row.line, errors: [RowError(line: row.line, column: "", reason: reason)])
        }
        var errors: [RowError] = []
        let localId = checkId(row.fields[idIndex], line: row.line, errors: &errors)
        var values: [(attribute: String, value: ImportedValue)] = []
        values.reserveCapacity(slots.count)
        for slot in slots {
            let result: CompiledRule.Field = slot.column >= 0 ? slot.rule.normalizeField(row.fields[slot.column]) : .absent
            switch result {
            case .value(let value):
                values.append((slot.attribute, value))
            case .absent:
                if slot.required {
                    errors.append(RowError(line: row.line, column: slot.columnName, reason: "a value is required"))
                }
            case .problem(let reason):
                errors.append(RowError(line: row.line, column: slot.columnName, reason: reason))
            }
        }
        if !errors.isEmpty { return .rejected(line: row.line, errors: errors) }
        return .record(ImportedRecord(line: row.line, localId: localId, values: values))
    }

    /// Checks a raw id; returns the problem or the trimmed byte range.
    private static func checkId(_ p: UnsafeBufferPointer<UInt8>) -> Result<Range<Int>, FieldProblem> {
        let range = ByteScan.trim(p)
        if range.isEmpty { return .failure(FieldProblem(reason: "the id is missing")) }
        if range.count > maxIdLength { return .failure(FieldProblem(reason: "the id is longer than \(maxIdLength) bytes")) }
        for i in range {
            let b = p[i]
            if b < 0x20 || b == 0x7F { return .failure(FieldProblem(reason: "the id contains a control character")) }
            if b >= 0x80, ByteScan.isBadNonASCII(p, at: i, end: range.upperBound) {
                return .failure(FieldProblem(reason: "the id contains a control or invalid character"))
            }
        }
        return .success(range)
    }

    private func checkId(_ raw: String, line: Int, errors: inout [RowError]) -> String {
        CompiledRule.withBytes(raw) { p in
            switch Self.checkId(p) {
            case .failure(let problem):
                errors.append(RowError(line: line, column: idColumn, reason: problem.reason))
                return ""
            case .success(let range):
                return range.count == p.count ? raw : String(decoding: UnsafeBufferPointer(rebasing: p[range]), as: UTF8.self)
            }
        }
    }

    /// Reads every remaining row of `reader` and converts it, without first building a
    /// ``SourceRow`` of strings for well-formed rows (the fast path for large files).
    /// - Parameters:
    ///   - reader: a CSV reader whose header this importer was built with.
    ///   - body: called with each outcome, in file order; may throw to stop.
    /// - Returns: the number of rows read.
    /// - Throws: what the reader or `body` throws (``ImportError`` `.malformedLine`, `.unreadableFile`).
    @discardableResult
    public func importRows(from reader: CSVReader, _ body: (RowOutcome) throws -> Void) throws -> Int {
        var count = 0
        while let (line, malformed) = try reader.nextSpans() {
            count += 1
            let spans = reader.spans
            if malformed != nil || spans.count != fieldCount || spans.contains(where: \.escaped) {
                try body(convert(SourceRow(line: line, fields: reader.currentFields(), malformed: malformed)))
                continue
            }
            try body(convert(line: line, base: reader.base, spans: spans))
        }
        return count
    }

    private func convert(line: Int, base: UnsafeMutablePointer<UInt8>, spans: [CSVReader.Span]) -> RowOutcome {
        @inline(__always) func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            let span = spans[index]
            return UnsafeBufferPointer(start: base + span.start, count: span.end - span.start)
        }
        var errors: [RowError] = []
        var localId = ""
        let idBytes = bytes(idIndex)
        switch Self.checkId(idBytes) {
        case .failure(let problem): errors.append(RowError(line: line, column: idColumn, reason: problem.reason))
        case .success(let range): localId = String(decoding: UnsafeBufferPointer(rebasing: idBytes[range]), as: UTF8.self)
        }
        var values: [(attribute: String, value: ImportedValue)] = []
        values.reserveCapacity(slots.count)
        for slot in slots {
            let result: CompiledRule.Field = slot.column >= 0 ? slot.rule.normalizeField(bytes(slot.column), original: nil) : .absent
            switch result {
            case .value(let value):
                values.append((slot.attribute, value))
            case .absent:
                if slot.required {
                    errors.append(RowError(line: line, column: slot.columnName, reason: "a value is required"))
                }
            case .problem(let reason):
                errors.append(RowError(line: line, column: slot.columnName, reason: reason))
            }
        }
        if !errors.isEmpty { return .rejected(line: line, errors: errors) }
        return .record(ImportedRecord(line: line, localId: localId, values: values))
    }
}
