/// Which source columns feed which attributes, and which column holds the local id.
public struct ImportMapping: Sendable, Equatable {
    /// The source column holding the unit's local id (default `id`).
    public var idColumn: String
    /// Source column name -> attribute name. Columns not listed here whose name equals a rule
    /// name map to that rule (unless the attribute is already mapped explicitly); all other
    /// columns are ignored and listed in ``RowImporter/unmappedColumns``.
    public var columns: [String: String]

    /// Creates a mapping.
    /// - Parameters:
    ///   - idColumn: the id column (default `id`).
    ///   - columns: source column -> attribute.
    public init(idColumn: String = "id", columns: [String: String] = [:]) {
        self.idColumn = idColumn
        self.columns = columns
    }

    /// Parses `"id=customer_no,email=mail,phone=tel"`: each entry is `attribute=sourceColumn`;
    /// the attribute `id` sets ``idColumn``. Spaces around names are ignored; an empty spec
    /// gives the default mapping.
    /// - Parameter spec: the mapping text.
    /// - Throws: ``ImportError`` `.badMapping` for an entry without `=`, an empty name, or an
    ///   attribute or column named twice.
    public static func parse(_ spec: String) throws -> ImportMapping {
        var mapping = ImportMapping()
        var seenAttributes: Set<String> = []
        var entryIndex = 0
        for entry in spec.split(separator: ",", omittingEmptySubsequences: false) {
            entryIndex += 1
            let trimmedEntry = entry.trimmingSpaces()
            if trimmedEntry.isEmpty {
                if spec.trimmingSpaces().isEmpty { break }
                throw ImportError(.badMapping, "mapping entry \(entryIndex) is empty")
            }
            let parts = trimmedEntry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ImportError(.badMapping, "mapping entry \(entryIndex) has no '=' (expected attribute=column)")
            }
            let attribute = parts[0].trimmingSpaces()
            let column = parts[1].trimmingSpaces()
            guard !attribute.isEmpty, !column.isEmpty else {
                throw ImportError(.badMapping, "mapping entry \(entryIndex) has an empty attribute or column name")
            }
            guard seenAttributes.insert(attribute).inserted else {
                throw ImportError(.badMapping, "attribute \"\(attribute)\" is mapped twice")
            }
            if attribute == "id" {
                mapping.idColumn = column
                continue
            }
            guard mapping.columns[column] == nil else {
                throw ImportError(.badMapping, "column \"\(column)\" is mapped twice")
            }
            mapping.columns[column] = attribute
        }
        if mapping.columns[mapping.idColumn] != nil {
            throw ImportError(.badMapping, "column \"\(mapping.idColumn)\" is both the id column and mapped to an attribute")
        }
        return mapping
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
