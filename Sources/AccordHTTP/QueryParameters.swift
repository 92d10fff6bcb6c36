/// The parameters of a query string (`a=1&b=x%20y`), percent-decoded, `+` read as a space, in order.
public struct QueryParameters: Sendable, Equatable {
    /// The name-value pairs in order; a name without `=` has an empty value.
    public let pairs: [(name: String, value: String)]

    /// Parses a raw query (the part of the target after `?`); `nil` or empty gives no parameters.
    /// - Throws: ``HTTPError`` 400 naming the parameter whose escape is malformed or not UTF-8.
    public init(parsing raw: String?) throws {
        var pairs: [(name: String, value: String)] = []
        for (index, part) in (raw ?? "").split(separator: "&", omittingEmptySubsequences: true).enumerated() {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(halves[0], plusIsSpace: true),
                  let value = PercentEncoding.decode(halves.count > 1 ? halves[1] : "", plusIsSpace: true)
            else { throw HTTPError(.badRequest, "query parameter \(index + 1): malformed percent-encoding or not UTF-8") }
            pairs.append((name: name, value: value))
        }
        self.pairs = pairs
    }

    /// The value of a parameter given once.
    /// - Throws: ``HTTPError`` 400 when it is given more than once.
    public func value(_ name: String) throws -> String? {
        let values = pairs.filter { $0.name == name }
        guard values.count <= 1 else { throw HTTPError(.badRequest, "query parameter \"\(name)\" is given \(values.count) times") }
        return values.first?.value
    }

    /// A required parameter.
    /// - Throws: ``HTTPError`` 400 when it is missing, empty or repeated.
    public func required(_ name: String) throws -> String {
        guard let value = try value(name), !value.isEmpty else { throw HTTPError(.badRequest, "query parameter \"\(name)\" is required") }
        return value
    }

    /// A whole-number parameter within a range, or the default.
    /// - Throws: ``HTTPError`` 400 naming the parameter and the range.
    public func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw HTTPError(.badRequest, "query parameter \"\(name)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// Refuses parameters other than `names`.
    /// - Throws: ``HTTPError`` 400 naming the first unknown parameter and the known ones.
    public func allowOnly(_ names: Set<String>) throws {
        if let unknown = pairs.first(where: { !names.contains($0.name) }) {
            let known = names.isEmpty ? "none" : names.sorted().joined(separator: ", ")
            throw HTTPError(.badRequest, "unknown query parameter \"\(unknown.name.prefix(64))\" (known: \(known))")
        }
    }

    /// Compares the pairs in order.
    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
