/// Parses the segment filter language (documented in README.md, "Segments"):
///
/// ```
/// filter      = or
/// or          = and { "or" and }
/// and         = unary { "and" unary }
/// unary       = "not" unary | "(" filter ")" | predicate
/// predicate   = "stage" ( "=" | "!=" ) STAGE
///             | "stage" "in" "(" STAGE { "," STAGE } ")"
///             | "known_to" "(" UNIT { "," UNIT } ")"
///             | "consent" "(" CHANNEL "," PURPOSE ")"
///             | "interaction" "(" [ clause { "," clause } ] ")"
///             | attribute ( "=" | "!=" | "contains" | "prefix" ) STRING
///             | attribute "exists"
/// clause      = "type" "=" NAME | "channel" "=" NAME | "within" NUMBER "days"
/// attribute   = NAME | "." NAME
/// ```
///
/// With a ``SegmentVocabulary`` every name is checked (an attribute the asking unit may not see is
/// refused); every error gives the column and what was expected. Nesting is limited to
/// ``maxDepth`` so hostile input cannot exhaust the stack.
public struct SegmentParser {
    /// How deep parentheses and `not` may nest.
    public static let maxDepth = 64

    private let tokens: [SegmentToken]
    private let vocabulary: SegmentVocabulary?
    private var position = 0
    private var depth = 0

    private init(tokens: [SegmentToken], vocabulary: SegmentVocabulary?) {
        self.tokens = tokens
        self.vocabulary = vocabulary
    }

    /// Parses a filter.
    /// - Parameters:
    ///   - text: the filter.
    ///   - vocabulary: the names it may use; `nil` checks syntax only.
    /// - Throws: ``SegmentSyntaxError`` with the column and what was expected.
    public static func parse(_ text: String, vocabulary: SegmentVocabulary? = nil) throws(SegmentSyntaxError) -> SegmentExpression {
        var parser = SegmentParser(tokens: try SegmentLexer.tokens(text), vocabulary: vocabulary)
        let expression = try parser.orExpression()
        guard case .end = parser.current.kind else {
            throw SegmentSyntaxError(column: parser.current.column, expected: "\"and\", \"or\" or end of filter", found: parser.current.shown)
        }
        return expression
    }

    private var current: SegmentToken { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func isKeyword(_ word: String) -> Bool {
        if case .name(let name, false) = current.kind { return name == word }
        return false
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let text) = current.kind { return text == symbol }
        return false
    }

    private func fail(_ expected: String) -> SegmentSyntaxError {
        SegmentSyntaxError(column: current.column, expected: expected, found: current.shown)
    }

    private mutating func expectSymbol(_ symbol: String, _ expected: String? = nil) throws(SegmentSyntaxError) {
        guard isSymbol(symbol) else { throw fail(expected ?? "\"\(symbol)\"") }
        advance()
    }

    private mutating func name(_ what: String) throws(SegmentSyntaxError) -> (String, Int) {
        guard case .name(let text, _) = current.kind else { throw fail(what) }
        let column = current.column
        advance()
        return (text, column)
    }

    private mutating func orExpression() throws(SegmentSyntaxError) -> SegmentExpression {
        var left = try andExpression()
        while isKeyword("or") {
            advance()
            left = .or(left, try andExpression())
        }
        return left
    }

    private mutating func andExpression() throws(SegmentSyntaxError) -> SegmentExpression {
        var left = try unary()
        while isKeyword("and") {
            advance()
            left = .and(left, try unary())
        }
        return left
    }

    private mutating func unary() throws(SegmentSyntaxError) -> SegmentExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= SegmentParser.maxDepth else { throw fail("at most \(SegmentParser.maxDepth) nested parentheses or \"not\"") }
        if isKeyword("not") {
            advance()
            return .not(try unary())
        }
        if isSymbol("(") {
            advance()
            let inner = try orExpression()
            try expectSymbol(")", "\")\", \"and\" or \"or\"")
            return inner
        }
        return try predicate()
    }

    private mutating func predicate() throws(SegmentSyntaxError) -> SegmentExpression {
        guard case .name(let word, let forced) = current.kind else {
            throw fail("a condition: stage, known_to(...), consent(...), interaction(...), an attribute, \"not\" or \"(\"")
        }
        if !forced {
            switch word {
            case "stage": return try stagePredicate()
            case "known_to": return try knownTo()
            case "consent": return try consent()
            case "interaction": return try interaction()
            case _ where SegmentLexer.keywords.contains(word):
                throw fail("a condition: stage, known_to(...), consent(...), interaction(...), an attribute, \"not\" or \"(\"")
            default: break
            }
        }
        let column = current.column
        advance()
        if let vocabulary, !vocabulary.attributes.contains(word) {
            if let shareClass = vocabulary.hiddenAttributes[word] {
                throw SegmentSyntaxError(column: column, expected: "an attribute the asking unit may see",
                                         found: "\"\(word)\" (share class \(shareClass) is outside its audience)")
            }
            throw SegmentSyntaxError(column: column, expected: "an attribute of the policy (\(vocabulary.attributes.sorted().joined(separator: ", ")))",
                                     found: "\"\(word)\"")
        }
        if isKeyword("exists") {
            advance()
            return .attribute(name: word, test: .exists)
        }
        let operation: String
        if isSymbol("=") { operation = "=" } else if isSymbol("!=") { operation = "!=" } else if isKeyword("contains") { operation = "contains" }
        else if isKeyword("prefix") { operation = "prefix" } else { throw fail("=, !=, contains, prefix or exists after attribute \(word)") }
        advance()
        guard case .string(let text) = current.kind else { throw fail("a value in double quotes after \(operation)") }
        advance()
        switch operation {
        case "=": return .attribute(name: word, test: .equals(text))
        case "!=": return .attribute(name: word, test: .notEquals(text))
        case "contains": return .attribute(name: word, test: .contains(text))
        default: return .attribute(name: word, test: .prefix(text))
        }
    }

    private mutating func stageName() throws(SegmentSyntaxError) -> String {
        let (stage, column) = try name("a lifecycle stage name")
        if let vocabulary, !vocabulary.stages.contains(stage) {
            throw SegmentSyntaxError(column: column, expected: vocabulary.stages.isEmpty ? "no stage (the policy defines no lifecycle)"
                                        : "a lifecycle stage (\(vocabulary.stages.joined(separator: ", ")))", found: "\"\(stage)\"")
        }
        return stage
    }

    private mutating func stagePredicate() throws(SegmentSyntaxError) -> SegmentExpression {
        advance()
        if isKeyword("in") {
            advance()
            try expectSymbol("(", "\"(\" after \"in\"")
            var names = [try stageName()]
            while isSymbol(",") {
                advance()
                names.append(try stageName())
            }
            try expectSymbol(")", "\",\" or \")\"")
            return .stage(names: names, negated: false)
        }
        let negated: Bool
        if isSymbol("=") { negated = false } else if isSymbol("!=") { negated = true } else { throw fail("=, != or in after stage") }
        advance()
        return .stage(names: [try stageName()], negated: negated)
    }

    private mutating func knownTo() throws(SegmentSyntaxError) -> SegmentExpression {
        advance()
        try expectSymbol("(", "\"(\" after known_to")
        var units: [String] = []
        repeat {
            if !units.isEmpty { advance() }
            let (unit, column) = try name("a unit id")
            if let vocabulary, !vocabulary.units.contains(unit) {
                throw SegmentSyntaxError(column: column, expected: "a unit of the federation (\(vocabulary.units.sorted().joined(separator: ", ")))",
                                         found: "\"\(unit)\"")
            }
            units.append(unit)
        } while isSymbol(",")
        try expectSymbol(")", "\",\" or \")\"")
        return .knownTo(units)
    }

    private mutating func consent() throws(SegmentSyntaxError) -> SegmentExpression {
        advance()
        try expectSymbol("(", "\"(\" after consent")
        let (channel, channelColumn) = try name("a consent channel")
        if let vocabulary, !vocabulary.channels.contains(channel) {
            throw SegmentSyntaxError(column: channelColumn, expected: "a consent channel (\(vocabulary.channels.sorted().joined(separator: ", ")))",
                                     found: "\"\(channel)\"")
        }
        try expectSymbol(",", "\",\" between channel and purpose")
        let (purpose, purposeColumn) = try name("a consent purpose")
        if let vocabulary, !vocabulary.purposes.contains(purpose) {
            throw SegmentSyntaxError(column: purposeColumn, expected: "a consent purpose (\(vocabulary.purposes.sorted().joined(separator: ", ")))",
                                     found: "\"\(purpose)\"")
        }
        try expectSymbol(")")
        return .consent(channel: channel, purpose: purpose)
    }

    private mutating func interaction() throws(SegmentSyntaxError) -> SegmentExpression {
        let start = current.column
        advance()
        if let vocabulary, !vocabulary.seesInteractions {
            throw SegmentSyntaxError(column: start, expected: "a condition the asking unit may see", found: "interaction (outside its audience, or no interactions in the policy)")
        }
        try expectSymbol("(", "\"(\" after interaction")
        var type: String?
        var channel: String?
        var days: Int?
        while !isSymbol(")") {
            if type != nil || channel != nil || days != nil { try expectSymbol(",", "\",\" or \")\"") }
            if isKeyword("type") {
                advance()
                try expectSymbol("=", "\"=\" after type")
                let (value, column) = try name("an interaction type")
                if let vocabulary, !vocabulary.interactionTypes.contains(value) {
                    throw SegmentSyntaxError(column: column, expected: "an interaction type (\(vocabulary.interactionTypes.sorted().joined(separator: ", ")))",
                                             found: "\"\(value)\"")
                }
                type = value
            } else if isKeyword("channel") {
                advance()
                try expectSymbol("=", "\"=\" after channel")
                channel = try name("an interaction channel").0
            } else if isKeyword("within") {
                advance()
                guard case .number(let value) = current.kind, (1...36_500).contains(value) else { throw fail("a number of days from 1 to 36500") }
                advance()
                guard isKeyword("days") else { throw fail("\"days\"") }
                advance()
                days = value
            } else {
                throw fail(type == nil && channel == nil && days == nil ? "type = ..., channel = ..., within N days or \")\"" : "type = ..., channel = ... or within N days")
            }
        }
        advance()
        return .interaction(type: type, channel: channel, withinDays: days)
    }
}
