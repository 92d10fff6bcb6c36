/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Unlike `JSONSerialization` it keeps booleans apart from numbers, keeps the
/// literal text of numbers, rejects duplicate object keys, and reports syntax
/// errors with a line, a column and the JSON path being read.
struct JSONParser {
    /// Deepest nesting accepted; protects the stack from hostile input.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private let source: String
    private var offset = 0
    private var path = JSONPath.root
    private var depth = 0

    /// Parses one JSON document (an optional UTF-8 byte order mark, one value, optional whitespace).
    /// - Throws: `PolicyError` `.malformedJSON` or `.duplicate` (duplicate object key).
    static func parse(_ bytes: [UInt8], source: String) throws(PolicyError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, source: source)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.offset = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.offset < bytes.count {
            throw parser.failure("unexpected \(parser.describeCurrent()) after the end of the document")
        }
        return value
    }

    private init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    // MARK: Values

    private mutating func parseValue() throws(PolicyError) -> JSONValue {
        guard offset < bytes.count else { throw failure("unexpected end of document, expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func parseObject() throws(PolicyError) -> JSONValue {
        try enterContainer()
        offset += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw failure(offset < bytes.count ? "unexpected \(describeCurrent()), expected a key string" : "unexpected end of document, expected a key string")
            }
            let key = try parseString()
            path.push(.key(key))
            if !seen.insert(key).inserted {
                throw PolicyError(.duplicate, "duplicate key \(CanonicalJSONWriter.quoted(key)) in object", path: path.description, source: source)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure(expecting: "':'") }
            offset += 1
            skipWhitespace()
            let value = try parseValue()
            members.append((key, value))
            path.pop()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                depth -= 1
                return .object(members)
            default: throw failure(expecting: "',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(PolicyError) -> JSONValue {
        try enterContainer()
        offset += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            path.push(.index(elements.count))
            elements.append(try parseValue())
            path.pop()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                depth -= 1
                return .array(elements)
            default: throw failure(expecting: "',' or ']'")
            }
        }
    }

    private mutating func enterContainer() throws(PolicyError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw failure("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func expectLiteral(_ literal: String) throws(PolicyError) {
        let expected = Array(literal.utf8)
        guard offset + expected.count <= bytes.count, bytes[offset..<offset + expected.count].elementsEqual(expected) else {
            throw failure("invalid literal, expected \(literal)")
        }
        offset += expected.count
    }

    private mutating func parseNumber() throws(PolicyError) -> String {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        if peek() == UInt8(ascii: "0") {
            offset += 1
        } else if !skipDigits() {
            throw failure("invalid number, expected a digit")
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard skipDigits() else { throw failure("invalid number, expected a digit after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard skipDigits() else { throw failure("invalid number, expected a digit in the exponent") }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// Skips decimal digits; returns whether there was at least one.
    private mutating func skipDigits() -> Bool {
        let start = offset
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
        return offset > start
    }

    // MARK: Strings

    private mutating func parseString() throws(PolicyError) -> String {
        let start = offset
        offset += 1  // opening quote
        var buffer: [UInt8] = []
        while true {
            guard let byte = peek() else {
                offset = start
                throw failure("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    offset = start
                    throw failure("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                offset += 1
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw failure("control character in string (must be escaped)")
            default:
                buffer.append(byte)
                offset += 1
            }
        }
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(PolicyError) {
        guard let byte = peek() else { throw failure("unterminated string") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw failure("unpaired surrogate in \\u escape")
                }
                offset += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("unpaired surrogate in \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
            buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            offset -= 1
            throw failure("invalid escape sequence")
        }
    }

    private mutating func parseHex4() throws(PolicyError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw failure("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    // MARK: Helpers

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
    }

    private func describeCurrent() -> String {
        guard let byte = peek() else { return "end of document" }
        if (0x21...0x7E).contains(byte) { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private func failure(expecting expected: String) -> PolicyError {
        guard offset < bytes.count else { return failure("unexpected end of document, expected \(expected)") }
        return failure("unexpected \(describeCurrent()), expected \(expected)")
    }

    /// A `.malformedJSON` error at the current offset and path.
    private func failure(_ what: String) -> PolicyError {
        let position = JSONParser.position(of: min(offset, bytes.count), in: bytes)
        return PolicyError(
            .malformedJSON, "malformed JSON at \(position): \(what)", path: path.description, source: source,
            position: position)
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> PolicyError.TextPosition {
        var line = 1
        var column = 1
        for byte in bytes[..<offset] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return PolicyError.TextPosition(line: line, column: column)
    }
}
