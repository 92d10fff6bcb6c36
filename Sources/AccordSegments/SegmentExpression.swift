/// A test on a profile's golden values of one attribute. Comparisons ignore case; a multi-valued
/// attribute passes `=`, `contains` and `prefix` when any value does, and `!=` when no value equals.
public enum AttributeTest: Sendable, Equatable {
    /// Some value equals the text.
    case equals(String)
    /// No value equals the text (also true when the attribute has no value).
    case notEquals(String)
    /// Some value contains the text.
    case contains(String)
    /// Some value starts with the text.
    case prefix(String)
    /// The attribute has a value.
    case exists
}

/// A parsed segment filter (see ``SegmentParser`` for the grammar).
public indirect enum SegmentExpression: Sendable, Equatable, CustomStringConvertible {
    /// Both hold.
    case and(SegmentExpression, SegmentExpression)
    /// Either holds.
    case or(SegmentExpression, SegmentExpression)
    /// Does not hold.
    case not(SegmentExpression)
    /// The profile's lifecycle stage is one of `names` (or, `negated`, none of them).
    case stage(names: [String], negated: Bool)
    /// The person is known to (has a record in) one of the units.
    case knownTo([String])
    /// Effective consent allows the asking unit to contact the person on the channel for the purpose.
    case consent(channel: String, purpose: String)
    /// An interaction event of the type and channel (each `nil` for any) within `withinDays` days.
    case interaction(type: String?, channel: String?, withinDays: Int?)
    /// A test on an attribute's golden values.
    case attribute(name: String, test: AttributeTest)

    /// The expression in the language, fully parenthesized; it parses back to an equal expression.
    public var description: String {
        switch self {
        case .and(let a, let b): return "(\(a) and \(b))"
        case .or(let a, let b): return "(\(a) or \(b))"
        case .not(let a): return "not \(a)"
        case .stage(let names, let negated):
            if names.count == 1 { return "stage \(negated ? "!=" : "=") \(names[0])" }
            return (negated ? "not " : "") + "stage in (\(names.joined(separator: ", ")))"
        case .knownTo(let units): return "known_to(\(units.joined(separator: ", ")))"
        case .consent(let channel, let purpose): return "consent(\(channel), \(purpose))"
        case .interaction(let type, let channel, let days):
            var clauses: [String] = []
            if let type { clauses.append("type = \(type)") }
            if let channel { clauses.append("channel = \(channel)") }
            if let days { clauses.append("within \(days) days") }
            return "interaction(\(clauses.joined(separator: ", ")))"
        case .attribute(let name, let test):
            let attribute = SegmentLexer.keywords.contains(name) ? "." + name : name
            switch test {
            case .equals(let text): return "\(attribute) = \(Self.quoted(text))"
            case .notEquals(let text): return "\(attribute) != \(Self.quoted(text))"
            case .contains(let text): return "\(attribute) contains \(Self.quoted(text))"
            case .prefix(let text): return "\(attribute) prefix \(Self.quoted(text))"
            case .exists: return "\(attribute) exists"
            }
        }
    }

    /// Attribute names the expression reads.
    public var attributes: Set<String> {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.attributes.union(b.attributes)
        case .not(let a): return a.attributes
        case .attribute(let name, _): return [name]
        default: return []
        }
    }

    /// A string literal: `"` and `\` escaped with a backslash.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }
}
