import Foundation

extension PolicyParser {
    /// `units[].previousSigningKeys`: the keys a unit signed with before its current one, each
    /// with the last policy version it signed under, below this policy's version, strictly increasing.
    func previousSigningKeys(_ reader: JSONObjectReader, current: [UInt8]?, policyVersion: Int64) throws(PolicyError) -> [RetiredSigningKey] {
        guard let elements = try reader.optionalArray("previousSigningKeys") else { return [] }
        guard current != nil || elements.isEmpty else {
            throw reader.error(.missingField, "previousSigningKeys needs a current signingKey", at: reader.path.key("signingKey"))
        }
        guard policyVersion > 1 || elements.isEmpty else {
            throw reader.error(.invalidValue, "policy version 1 has no earlier versions to sign under", at: reader.path.key("previousSigningKeys"))
        }
        var keys: [RetiredSigningKey] = []
        for (index, element) in elements.enumerated() {
            let entry = try JSONObjectReader(element, path: reader.path.key("previousSigningKeys").index(index), source: source)
            try entry.checkKeys(allowed: ["key", "throughPolicyVersion"])
            let text = try entry.string("key")
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw entry.error(.invalidValue, "key must be the base64 of a 32-byte Ed25519 public key", at: entry.path.key("key"))
            }
            let key = [UInt8](data)
            guard key != current, !keys.contains(where: { $0.key == key }) else {
                throw entry.error(.duplicate, "this key is already the unit's signing key or an earlier previous key", at: entry.path.key("key"))
            }
            let through = try entry.integer("throughPolicyVersion", in: 1...max(1, policyVersion - 1))
            if let last = keys.last, through <= last.throughPolicyVersion {
                throw entry.error(.invalidValue, "throughPolicyVersion must grow from one previous key to the next (oldest first)",
                                  at: entry.path.key("throughPolicyVersion"))
            }
            keys.append(RetiredSigningKey(key: key, throughPolicyVersion: Int(through)))
        }
        return keys
    }
}
