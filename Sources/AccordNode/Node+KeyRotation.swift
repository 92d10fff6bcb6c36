import AccordCrypto
import AccordModel
import AccordPolicy
import Foundation

/// What `accord key rotate` made.
public struct KeyRotation: Sendable {
    /// The new public signing key, base64 of the 32 raw bytes (for `units[].signingKey`).
    public var nextKey: String
    /// The file holding the new private key (mode 0600).
    public var nextKeyPath: String
    /// The key that was replaced by an earlier rotation and moved aside, if any.
    public var retiredPath: String?
}

extension Node {
    /// Signs a policy document as this (governance) unit, with whichever of its keys the document
    /// lists as its `signingKey`.
    /// - Throws: ``NodeError`` as ``PolicyTrust/sign(_:signer:key:)``.
    public func signPolicy(_ text: [UInt8]) throws -> [UInt8] {
        let listed = try PolicyTrust.parse(text).unit(unit.rawValue)?.signingKey
        let key = signingKeys.first { $0.publicKey.rawRepresentation == listed } ?? signingKey
        return try PolicyTrust.sign(text, signer: unit.rawValue, key: key)
    }

    /// The public key file beside a private key file: `signing.pem` → `signing.pub.pem`.
    static func publicKeyPath(_ keyPath: String) -> String {
        (keyPath.hasSuffix(".pem") ? String(keyPath.dropLast(4)) : keyPath) + ".pub.pem"
    }

    /// Starts rotating the unit's signing key: makes the next key (`keys/signing.next.pem`). The
    /// node keeps signing with the current key until it holds a policy that lists the next one as
    /// the unit's `signingKey` (with the current one under `previousSigningKeys`), then signs with it.
    /// A finished earlier rotation (the policy lists the next key) is completed first: the next key
    /// becomes `signing.pem`, the old one is kept as `signing.retired-<millis>.pem`.
    /// - Throws: ``NodeError`` `.notAllowed` while an earlier rotation waits for its policy,
    ///   `.storage` when a key file cannot be written or moved.
    public func beginKeyRotation() throws -> KeyRotation {
        let current = Self.resolve(config.signingKey, in: directory)
        let next = Self.nextKeyPath(current)
        let files = FileManager.default
        var retired: String?
        let listed = policy.unit(unit.rawValue)?.signingKey
        if files.fileExists(atPath: next) {
            guard signingKeys.count > 1, signingKeys[1].publicKey.rawRepresentation == listed else {
                throw NodeError(.notAllowed, "a key rotation is pending: \(next) waits for a policy version that lists it as the signing key "
                    + "of \(unit) (accord key draft POLICY_FILE, then publish it)")
            }
            let aside = (current.hasSuffix(".pem") ? String(current.dropLast(4)) : current) + ".retired-\(now()).pem"
            guard rename(current, aside) == 0, rename(next, current) == 0 else {
                throw NodeError(.storage, "cannot move \(next) to \(current): \(String(cString: strerror(errno)))")
            }
            // The public halves follow (best effort: they are copies of what the policy lists).
            _ = rename(Self.publicKeyPath(current), Self.publicKeyPath(aside))
            _ = rename(Self.publicKeyPath(next), Self.publicKeyPath(current))
            retired = aside
        }
        do {
            let key = try Ed25519PrivateKey.generate()
            try key.write(toFile: next)
            try Data(try key.publicKey.pemRepresentation().utf8).write(to: URL(fileURLWithPath: Self.publicKeyPath(next)))
            return KeyRotation(nextKey: Data(key.publicKey.rawRepresentation).base64EncodedString(), nextKeyPath: next, retiredPath: retired)
        } catch {
            throw NodeError(.storage, "cannot write the next signing key", cause: error)
        }
    }

    /// The next policy version's draft with this unit's pending next key as its `signingKey` and
    /// the current key under `previousSigningKeys`, valid through the version before the draft's.
    /// - Parameter text: the draft policy document (version already raised).
    /// - Throws: ``NodeError`` `.notAllowed` when no rotation is pending or the draft is not newer
    ///   than the held policy; `.invalidPolicy` when it is not a policy document.
    public func keyRotationDraft(_ text: [UInt8]) throws -> [UInt8] {
        guard signingKeys.count > 1 else {
            throw NodeError(.notAllowed, "no key rotation is pending: run accord key rotate first")
        }
        guard let current = policy.unit(unit.rawValue)?.signingKey else {
            throw NodeError(.notAllowed, "policy v\(policy.version) lists no signing key for \(unit): set it with accord policy set-key")
        }
        let next = signingKeys[1].publicKey.rawRepresentation
        guard var document = (try? JSONSerialization.jsonObject(with: Data(text))) as? [String: Any],
              let units = document["units"] as? [[String: Any]], let version = document["version"] as? Int else {
            throw NodeError(.invalidPolicy, "the draft is not a JSON object with \"version\" and \"units\"")
        }
        guard version > policy.version else {
            throw NodeError(.notAllowed, "the draft is version \(version); raise it above the held v\(policy.version) first")
        }
        document["units"] = units.map { entry -> [String: Any] in
            guard entry["id"] as? String == unit.rawValue else { return entry }
            var entry = entry
            var previous = (entry["previousSigningKeys"] as? [[String: Any]]) ?? []
            if current != next {
                previous.append(["key": Data(current).base64EncodedString(), "throughPolicyVersion": version - 1])
            }
            entry["previousSigningKeys"] = previous
            entry["signingKey"] = Data(next).base64EncodedString()
            return entry
        }
        document.removeValue(forKey: "signature")
        return [UInt8](try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]))
    }
}
