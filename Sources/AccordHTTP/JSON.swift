/// A JSON value: what request bodies parse into and responses are made of.
///
/// Numbers keep their literal text, so 64-bit integers survive exactly. Objects are unordered;
/// ``serialized()`` writes their keys sorted, so a value has one serialization.
public enum JSON: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal text (valid JSON number syntax).
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object; keys are unique.
    case object([String: JSON])

    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    /// An array literal.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    /// A dictionary literal; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    /// `nil` as `null`.
    public init(nilLiteral: ()) { self = .null }

    /// An integer.
    public static func int<T: BinaryInteger>(_ value: T) -> JSON { .number(String(value)) }

    /// A finite floating-point number (`null` for NaN and infinities, which JSON cannot hold).
    public static func double(_ value: Double) -> JSON { value.isFinite ? .number(String(value)) : .null }

    /// A string, or `null` for `nil`.
    public static func string(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }

    /// A short name of the value's type, for messages: `object`, `array`, `string`, `integer`, `number`, `boolean`, `null`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let text): text.utf8.contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") } ? "number" : "integer"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The member of an object, or `nil` (also for non-objects).
    public subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as an `Int64`, if it is an integer literal within range.
    public var int64Value: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
