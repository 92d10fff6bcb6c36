/// Reads the members of one JSON object of a request body strictly: unknown members refused,
/// types checked, and every error a 400 naming the member's JSON path
/// (`request body: $.decision: expected a string, found integer`).
public struct JSONFields: Sendable {
    /// The object's JSON path, such as `$` or `$.evidence`.
    public let path: String
    /// The members.
    public let members: [String: JSON]

    /// Wraps a value that must be an object.
    /// - Throws: ``HTTPError`` 400 when it is not an object.
    public init(_ value: JSON, path: String = "$") throws {
        guard case .object(let members) = value else { throw Self.error(path, "expected an object, found \(value.typeName)") }
        self.path = path
        self.members = members
    }

    /// The path of a member.
    public func path(of key: String) -> String { path + Self.component(key) }

    /// Refuses the first member (in name order) that is not one of `keys`.
    /// - Throws: ``HTTPError`` 400 naming the member and the allowed names.
    public func allowOnly(_ keys: Set<String>) throws {
        for key in members.keys.sorted() where !keys.contains(key) {
            throw Self.error(path(of: key), "unknown member (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    /// A member's value; `nil` when absent or `null`.
    public func value(_ key: String) -> JSON? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// A required string.
    public func string(_ key: String) throws -> String {
        guard let value = value(key) else { throw Self.error(path(of: key), "missing (a string is required)") }
        guard case .string(let text) = value else { throw Self.error(path(of: key), "expected a string, found \(value.typeName)") }
        return text
    }

    /// An optional string (absent or `null`: `nil`).
    public func optionalString(_ key: String) throws -> String? {
        guard members[key] != nil, value(key) != nil else { return nil }
        return try string(key)
    }

    /// An optional array of strings (absent or `null`: empty).
    /// - Throws: ``HTTPError`` 400 naming the member, or the item (`$.emails[2]`), of the wrong type.
    public func optionalStrings(_ key: String) throws -> [String] {
        guard let value = value(key) else { return [] }
        guard case .array(let items) = value else { throw Self.error(path(of: key), "expected an array of strings, found \(value.typeName)") }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item else { throw Self.error(path(of: key) + "[\(index)]", "expected a string, found \(item.typeName)") }
            return text
        }
    }

    /// An optional boolean with a default.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = value(key) else { return fallback }
        guard case .bool(let flag) = value else { throw Self.error(path(of: key), "expected a boolean, found \(value.typeName)") }
        return flag
    }

    /// An optional integer within a range.
    public func optionalInteger(_ key: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = value(key) else { return nil }
        guard case .number = value, let number = value.int64Value else {
            throw Self.error(path(of: key), "expected an integer, found \(value.typeName)")
        }
        guard range.contains(number) else { throw Self.error(path(of: key), "must be from \(range.lowerBound) to \(range.upperBound)") }
        return number
    }

    /// A required nested object.
    public func object(_ key: String) throws -> JSONFields {
        guard let value = value(key) else { throw Self.error(path(of: key), "missing (an object is required)") }
        return try JSONFields(value, path: path(of: key))
    }

    /// An optional nested object.
    public func optionalObject(_ key: String) throws -> JSONFields? {
        guard let value = value(key) else { return nil }
        return try JSONFields(value, path: path(of: key))
    }

    /// A 400 error about the member or value at `path`.
    public static func error(_ path: String, _ what: String) -> HTTPError {
        HTTPError(.badRequest, "request body: \(path): \(what)")
    }

    /// `.key` for identifier-like keys, `["key"]` otherwise.
    public static func component(_ key: String) -> String {
        let plain = key.utf8.first.map { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
            && key.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_")
            }
        if plain { return "." + key }
        var quoted: [UInt8] = []
        JSON.writeString(key, to: &quoted)
        return "[" + String(decoding: quoted, as: UTF8.self) + "]"
    }
}
