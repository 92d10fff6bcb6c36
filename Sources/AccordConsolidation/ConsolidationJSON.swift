import Foundation

/// The stable JSON form of the engine's plain values (``ResolutionRules``, ``MatchParameters``,
/// ``SurvivorshipRules``): keys sorted, two-space indentation, no escaped slashes; so the same value
/// always encodes to the same bytes and a policy diff shows only what changed.
public enum ConsolidationJSON {
    /// Encodes `value` in the stable form.
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            // These values hold only strings, integers, booleans and finite doubles.
            preconditionFailure("a consolidation value failed to encode: \(error)")
        }
    }

    /// Decodes a value.
    /// - Throws: ``ConsolidationError`` `.malformedJSON` naming the JSON path of the problem.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(ConsolidationError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw ConsolidationError(.malformedJSON, "\(T.self): \(describe(error))")
        } catch {
            throw ConsolidationError(.malformedJSON, "\(T.self): not valid JSON", cause: error)
        }
    }

    /// Decodes and validates parameters.
    /// - Throws: ``ConsolidationError`` `.malformedJSON` or `.invalidParameters`.
    public static func decodeParameters(_ bytes: [UInt8]) throws(ConsolidationError) -> MatchParameters {
        let parameters = try decode(MatchParameters.self, from: bytes)
        try parameters.validate()
        return parameters
    }

    /// Decodes and validates rules.
    /// - Throws: ``ConsolidationError`` `.malformedJSON` or `.invalidRules`.
    public static func decodeRules(_ bytes: [UInt8]) throws(ConsolidationError) -> ResolutionRules {
        let rules = try decode(ResolutionRules.self, from: bytes)
        try rules.validate()
        return rules
    }

    /// `$.a.b[2]: reason`, without the offending value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            "$" + keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(_, let context): return "\(path(context.codingPath)): wrong type"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)): null where a value is required"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): invalid value"
        @unknown default: return "undecodable"
        }
    }
}
