/// Reads the members of one JSON object strictly, with every error naming its path.
struct JSONObjectReader {
    let path: JSONPath
    let source: String
    private let members: [(key: String, value: JSONValue)]
    private let byKey: [String: JSONValue]

    /// Wraps a value that must be an object.
    /// - Throws: `.wrongType` when it is not an object.
    init(_ value: JSONValue, path: JSONPath, source: String) throws(PolicyError) {
        guard case .object(let members) = value else {
            throw PolicyError(.wrongType, "expected object, found \(value.typeName)", path: path.description, source: source)
        }
        self.path = path
        self.source = source
        self.members = members
        var byKey: [String: JSONValue] = [:]
        for member in members { byKey[member.key] = member.value }
        self.byKey = byKey
    }

    /// Fails on the first key (in document order) that is neither allowed nor reserved.
    /// - Throws: `.unknownKey` naming the key's path.
    func checkKeys(allowed: [String], reserved: Set<String> = []) throws(PolicyError) {
        let known = Set(allowed)
        for member in members where !known.contains(member.key) && !reserved.contains(member.key) {
            throw error(.unknownKey, "unknown key (allowed keys: \(allowed.joined(separator: ", ")))", at: path.key(member.key))
        }
    }

    /// The raw value of a key, if present.
    func value(_ key: String) -> JSONValue? { byKey[key] }

    /// The object's keys, in document order (for objects whose keys are data, such as a map).
    var keys: [String] { members.map(\.key) }

    /// A required value.
    /// - Throws: `.missingField`.
    func required(_ key: String) throws(PolicyError) -> JSONValue {
        guard let value = byKey[key] else {
            throw error(.missingField, "missing required field \"\(key)\"", at: path.key(key))
        }
        return value
    }

    /// A required string.
    func string(_ key: String) throws(PolicyError) -> String {
        try string(try required(key), at: path.key(key))
    }

    /// An optional string (absent gives `nil`; `null` is a type error).
    func optionalString(_ key: String) throws(PolicyError) -> String? {
        guard let value = byKey[key] else { return nil }
        return try string(value, at: path.key(key))
    }

    /// A required integer within a range.
    /// - Throws: `.wrongType` for non-integers (booleans, fractions), `.invalidValue` outside the range.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(PolicyError) -> Int64 {
        try integer(try required(key), at: path.key(key), in: range)
    }

    /// An optional integer within a range, or the default.
    func integer(_ key: String, in range: ClosedRange<Int64>, default defaultValue: Int64) throws(PolicyError) -> Int64 {
        guard let value = byKey[key] else { return defaultValue }
        return try integer(value, at: path.key(key), in: range)
    }

    /// An optional boolean, or the default.
    /// - Throws: `.wrongType` for anything but `true`/`false` (numbers included).
    func bool(_ key: String, default defaultValue: Bool) throws(PolicyError) -> Bool {
        guard let value = byKey[key] else { return defaultValue }
        guard case .bool(let flag) = value else {
            throw error(.wrongType, "expected boolean, found \(value.typeName)", at: path.key(key))
        }
        return flag
    }

    /// A required array.
    func array(_ key: String) throws(PolicyError) -> [JSONValue] {
        try array(try required(key), at: path.key(key))
    }

    /// An optional array.
    func optionalArray(_ key: String) throws(PolicyError) -> [JSONValue]? {
        guard let value = byKey[key] else { return nil }
        return try array(value, at: path.key(key))
    }

    /// A required nested object.
    func object(_ key: String) throws(PolicyError) -> JSONObjectReader {
        try JSONObjectReader(try required(key), path: path.key(key), source: source)
    }

    // MARK: Typed values at a path

    func string(_ value: JSONValue, at path: JSONPath) throws(PolicyError) -> String {
        guard case .string(let text) = value else {
            throw error(.wrongType, "expected string, found \(value.typeName)", at: path)
        }
        return text
    }

    func array(_ value: JSONValue, at path: JSONPath) throws(PolicyError) -> [JSONValue] {
        guard case .array(let elements) = value else {
            throw error(.wrongType, "expected array, found \(value.typeName)", at: path)
        }
        return elements
    }

    func integer(_ value: JSONValue, at path: JSONPath, in range: ClosedRange<Int64>) throws(PolicyError) -> Int64 {
        guard case .number(let text) = value, JSONValue.isInteger(text) else {
            throw error(.wrongType, "expected integer, found \(value.typeName)", at: path)
        }
        guard let number = Int64(text), range.contains(number) else {
            let allowed = range.upperBound == .max ? "at least \(range.lowerBound)" : "\(range.lowerBound)...\(range.upperBound)"
            throw error(.invalidValue, "\(text) is out of range (allowed: \(allowed))", at: path)
        }
        return number
    }

    /// An error attributed to this document.
    func error(_ code: PolicyError.Code, _ message: String, at path: JSONPath, file: String = #fileID, line: Int = #line)
        -> PolicyError
    {
        PolicyError(code, message, path: path.description, source: source, file: file, line: line)
    }
}
