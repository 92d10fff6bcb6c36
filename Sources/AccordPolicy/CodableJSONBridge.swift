import AccordConsolidation
import Foundation

/// Carries the consolidation engine's plain `Codable` values in and out of the policy's JSON tree,
/// keeping the policy's guarantees: every error names its JSON path, unknown keys are refused, and
/// the canonical form is the same on every platform (numbers are rewritten: integral values as
/// integers, others in Swift's shortest round-trip form, whatever `JSONEncoder` wrote).
enum CodableJSONBridge {
    /// The value as a JSON tree with canonical numbers.
    static func tree(_ value: some Encodable) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let bytes = Array(try encoder.encode(value))
            return canonicalNumbers(try JSONParser.parse(bytes, source: "encoder"))
        } catch {
            // Consolidation values hold only strings, integers, booleans and finite doubles.
            preconditionFailure("a consolidation value failed to encode: \(error)")
        }
    }

    /// Decodes a tree, naming the path of the first problem under `path`.
    static func decode<T: Decodable>(_ type: T.Type, _ tree: JSONValue, at path: JSONPath, source: String) throws(PolicyError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(CanonicalJSONWriter.write(tree)))
        } catch let error as DecodingError {
            func at(_ keys: [any CodingKey]) -> String {
                var full = path
                for key in keys { full = key.intValue.map { full.index($0) } ?? full.key(key.stringValue) }
                return full.description
            }
            switch error {
            case .keyNotFound(let key, let context):
                throw PolicyError(.missingField, "missing required field \"\(key.stringValue)\"", path: at(context.codingPath + [key]), source: source)
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                throw PolicyError(.wrongType, "wrong type or null", path: at(context.codingPath), source: source)
            case .dataCorrupted(let context):
                throw PolicyError(.invalidValue, "value not allowed here", path: at(context.codingPath), source: source)
            @unknown default:
                throw PolicyError(.invalidValue, "does not decode", path: path.description, source: source)
            }
        } catch {
            throw PolicyError(.invalidValue, "does not decode", path: path.description, source: source)
        }
    }

    /// `user` written over `base`: objects merge key by key (a key `base` lacks is refused), anything
    /// else in `user` replaces what `base` holds.
    static func merge(_ user: JSONValue, over base: JSONValue, at path: JSONPath, source: String) throws(PolicyError) -> JSONValue {
        guard case .object(let members) = user, case .object(var merged) = base else { return user }
        for member in members {
            guard let index = merged.firstIndex(where: { $0.key == member.key }) else {
                let allowed = merged.map(\.key).joined(separator: ", ")
                throw PolicyError(.unknownKey, "unknown key (allowed keys: \(allowed))", path: path.key(member.key).description, source: source)
            }
            merged[index].value = try merge(member.value, over: merged[index].value, at: path.key(member.key), source: source)
        }
        return .object(merged)
    }

    /// Refuses keys of `user` that the decoded value does not have (so a misspelt key is not silently
    /// ignored): `decoded` is the tree of the value decoded from `user`.
    static func checkKnownKeys(_ user: JSONValue, against decoded: JSONValue, at path: JSONPath, source: String) throws(PolicyError) {
        switch (user, decoded) {
        case (.object(let members), .object(let known)):
            for member in members {
                guard let match = known.first(where: { $0.key == member.key }) else {
                    throw PolicyError(.unknownKey, "unknown key", path: path.key(member.key).description, source: source)
                }
                try checkKnownKeys(member.value, against: match.value, at: path.key(member.key), source: source)
            }
        case (.array(let elements), .array(let known)):
            for (index, element) in elements.enumerated() where index < known.count {
                try checkKnownKeys(element, against: known[index], at: path.index(index), source: source)
            }
        default: break
        }
    }

    /// Rewrites every number: integral values (within 2^53) as integers, others as Swift writes a
    /// `Double` (shortest text that reads back the same).
    static func canonicalNumbers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let text):
            guard let number = Double(text), number.isFinite else { return value }
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return .number(String(Int64(number))) }
            return .number(number.description)
        case .array(let elements): return .array(elements.map(canonicalNumbers))
        case .object(let members): return .object(members.map { (key: $0.key, value: canonicalNumbers($0.value)) })
        default: return value
        }
    }
}
