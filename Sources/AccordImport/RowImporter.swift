/// Turns source rows into normalized records or row errors, following rules and a mapping.
///
/// Build one per file (it resolves column positions and compiles rule patterns once), then call
/// ``convert(_:)`` per row; it is a value type and safe to share across threads.
public struct RowImporter: Sendable {
    private struct Slot: Sendable {
        let rule: CompiledRule
        /// Index into the row's fields, or -1 when no column feeds this rule.
        let column: Int
        let columnName: String
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
                values.append((slot.rule.rule.name, value))
            case .absent:
                if slot.rule.rule.required {
                    errors.append(RowError(line: row.line, column: slot.columnName, reason: "a value is required"))
                }
            case .problem(let reason):
                errors.append(RowError(line: row.line, column: slot.columnName, reason: reason))
            }
        }
        if !errors.isEmpty { return .rejected(line: row.line, errors: errors) }
        return .record(ImportedRecord(line: row.line, localId: localId, values: values))
    }

    private func checkId(_ raw: String, line: Int, errors: inout [RowError]) -> String {
        var copy = raw
        let problem: String? = copy.withUTF8 { p in
            let range = ByteScan.trim(p)
            if range.isEmpty { return "the id is missing" }
            if range.count > Self.maxIdLength { return "the id is longer than \(Self.maxIdLength) bytes" }
            for i in range {
                let b = p[i]
                if b < 0x20 || b == 0x7F { return "the id contains a control character" }
                if b >= 0x80, ByteScan.isBadNonASCII(p, at: i, end: range.upperBound) {
                    return "the id contains a control or invalid character"
                }
            }
            return nil
        }
        if let problem {
            errors.append(RowError(line: line, column: idColumn, reason: problem))
            return ""
        }
        guard let first = raw.utf8.first, let last = raw.utf8.last,
            ByteScan.isASCIISpace(first) || ByteScan.isASCIISpace(last) || first >= 0x80 || last >= 0x80
        else { return raw }
        var trimmed = raw
        return trimmed.withUTF8 { p in String(decoding: UnsafeBufferPointer(rebasing: p[ByteScan.trim(p)]), as: UTF8.self) }
    }
}
