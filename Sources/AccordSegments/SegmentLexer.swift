/// A token of the segment language, with the column it starts at.
struct SegmentToken: Equatable {
    enum Kind: Equatable {
        /// A name: keyword, attribute, stage, unit, channel... (`forced` when written `.name`: always an attribute).
        case name(String, forced: Bool)
        /// A string literal's text (escapes resolved).
        case string(String)
        /// A whole number.
        case number(Int)
        /// `=`, `!=`, `(`, `)`, `,`.
        case symbol(String)
        /// The end of the text.
        case end
    }

    let kind: Kind
    let column: Int

    /// How the token reads in an error message.
    var shown: String {
        switch kind {
        case .name(let text, let forced): return "\"\(forced ? "." : "")\(text)\""
        case .string: return "a string"
        case .number(let value): return "\(value)"
        case .symbol(let text): return "\"\(text)\""
        case .end: return "end of filter"
        }
    }
}

/// Splits a filter into tokens. Names are `[a-z][a-z0-9_-]*` (case-folded to lowercase), strings are
/// double-quoted with `\"` and `\\` escapes, numbers are decimal digits.
enum SegmentLexer {
    /// Words of the language; an attribute with such a name is written with a leading dot (`.stage`).
    static let keywords: Set<String> = [
        "and", "or", "not", "stage", "in", "known_to", "consent", "interaction", "exists", "contains", "prefix",
        "type", "channel", "within", "days",
    ]
    /// The longest filter read, in characters.
    static let maxLength = 4096

    static func tokens(_ text: String) throws(SegmentSyntaxError) -> [SegmentToken] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= maxLength else {
            throw SegmentSyntaxError(column: maxLength + 1, expected: "a filter of at most \(maxLength) characters", found: "\(scalars.count) characters")
        }
        var tokens: [SegmentToken] = []
        var index = 0
        func isNameStart(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" }
        func isNamePart(_ s: Unicode.Scalar) -> Bool { isNameStart(s) || ("0"..."9").contains(s) || s == "-" }
        while index < scalars.count {
            let scalar = scalars[index]
            let column = index + 1
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                index += 1
            } else if isNameStart(scalar) || scalar == "." {
                let forced = scalar == "."
                if forced {
                    index += 1
                    guard index < scalars.count, isNameStart(scalars[index]) else {
                        throw SegmentSyntaxError(column: index + 1, expected: "an attribute name after \".\"",
                                                 found: index < scalars.count ? "\"\(scalars[index])\"" : "end of filter")
                    }
                }
                var name = ""
                while index < scalars.count, isNamePart(scalars[index]) {
                    name.unicodeScalars.append(scalars[index])
                    index += 1
                }
                tokens.append(SegmentToken(kind: .name(name.lowercased(), forced: forced), column: column))
            } else if ("0"..."9").contains(scalar) {
                var value = 0
                while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                    guard value < 1_000_000 else {
                        throw SegmentSyntaxError(column: column, expected: "a number below 1000000", found: "a longer number")
                    }
                    value = value * 10 + Int(scalars[index].value - 48)
                    index += 1
                }
                tokens.append(SegmentToken(kind: .number(value), column: column))
            } else if scalar == "\"" {
                index += 1
                var text = ""
                var closed = false
                while index < scalars.count {
                    let next = scalars[index]
                    index += 1
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard index < scalars.count, scalars[index] == "\"" || scalars[index] == "\\" else {
                            throw SegmentSyntaxError(column: index, expected: "\\\" or \\\\ after a backslash in a string",
                                                     found: index < scalars.count ? "\"\\\(scalars[index])\"" : "end of filter")
                        }
                        text.unicodeScalars.append(scalars[index])
                        index += 1
                    } else {
                        text.unicodeScalars.append(next)
                    }
                }
                guard closed else { throw SegmentSyntaxError(column: column, expected: "a closing \" for the string started here", found: "end of filter") }
                tokens.append(SegmentToken(kind: .string(text), column: column))
            } else if scalar == "!" {
                guard index + 1 < scalars.count, scalars[index + 1] == "=" else {
                    throw SegmentSyntaxError(column: column, expected: "\"!=\"", found: "\"!\"")
                }
                tokens.append(SegmentToken(kind: .symbol("!="), column: column))
                index += 2
            } else if scalar == "=" || scalar == "(" || scalar == ")" || scalar == "," {
                tokens.append(SegmentToken(kind: .symbol(String(scalar)), column: column))
                index += 1
            } else {
                throw SegmentSyntaxError(column: column, expected: "a name, a string in double quotes, a number, =, !=, (, ) or ,",
                                         found: scalar.properties.isWhitespace || scalar.value < 0x20 ? "a control character" : "\"\(scalar)\"")
            }
        }
        tokens.append(SegmentToken(kind: .end, column: scalars.count + 1))
        return tokens
    }
}
