import Foundation

/// Editing the signing keys of a policy document (the JSON text, before it is signed).
public enum PolicyKeys {
    /// The policy document with `units[].signingKey` set for the given units.
    /// - Parameters:
    ///   - text: the policy document.
    ///   - keys: unit id to its public signing key, base64 of the 32 raw bytes (``Node/publicKeyBase64``).
    /// - Returns: the edited document, pretty-printed with sorted keys.
    /// - Throws: ``NodeError`` `.invalidPolicy` when the text is not a JSON object with a `units` array.
    public static func setting(_ keys: [String: String], in text: [UInt8]) throws -> [UInt8] {
        guard var policy = (try? JSONSerialization.jsonObject(with: Data(text))) as? [String: Any],
              let units = policy["units"] as? [[String: Any]] else {
            throw NodeError(.invalidPolicy, "the policy is not a JSON object with a \"units\" array")
        }
        policy["units"] = units.map { unit -> [String: Any] in
            var unit = unit
            if let id = unit["id"] as? String, let key = keys[id] { unit["signingKey"] = key }
            return unit
        }
        return [UInt8](try JSONSerialization.data(withJSONObject: policy, options: [.prettyPrinted, .sortedKeys]))
    }
}
