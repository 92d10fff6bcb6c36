public import AccordCrypto
public import AccordPolicy
import AccordModel
import AccordStore
import Foundation

/// Signing federation policies and deciding whether a node may accept a new version.
///
/// The policy a node was initialized with is its trust anchor. A later version is accepted only if
/// it is for the same federation, newer than the held one, and signed by a unit that has the
/// governance role and a signing key **in the held policy**, over the new version's canonical JSON.
/// So nobody without the current governance key can change the rules, and a stolen old policy
/// cannot be replayed.
public enum PolicyTrust {
    /// Signs a policy document as `signer`.
    /// - Parameters:
    ///   - text: the policy document.
    ///   - signer: a unit with the governance role whose `signingKey` in the document matches `key`.
    ///   - key: that unit's private signing key.
    /// - Returns: the signed document (canonical JSON with a `signature` section).
    /// - Throws: ``NodeError`` `.invalidPolicy` for a malformed document, `.notAllowed` when the
    ///   signer is not a governance unit of the document or the key is not its key.
    public static func sign(_ text: [UInt8], signer: String, key: Ed25519PrivateKey) throws -> [UInt8] {
        let policy = try parse(text)
        guard let unit = policy.unit(signer), unit.has(.governance) else {
            throw NodeError(.notAllowed, "unit \"\(signer)\" is not a governance unit of policy v\(policy.version)")
        }
        guard unit.signingKey == key.publicKey.rawRepresentation else {
            throw NodeError(.notAllowed, "the key is not the signing key of \"\(signer)\" in policy v\(policy.version): run accord policy set-key first")
        }
        let signature = try key.signature(for: policy.canonicalJSON())
        return policy.signedDocument(PolicySignature(signer: signer, value: signature))
    }

    /// Whether a signed policy's signature verifies under its signer's key in the same document.
    public static func checkSignature(_ policy: Policy) -> PolicyDecision {
        verify(policy, against: policy)
    }

    /// Whether a node holding `held` may accept `candidate` as its next policy.
    public static func checkUpdate(_ candidate: Policy, held: Policy) -> PolicyDecision {
        guard candidate.federation == held.federation else {
            return .denied(reason: "policy is for federation \"\(candidate.federation)\", this node is in \"\(held.federation)\"")
        }
        guard candidate.version > held.version else {
            return .denied(reason: "policy v\(candidate.version) is not newer than the held v\(held.version)")
        }
        return verify(candidate, against: held)
    }

    private static func verify(_ candidate: Policy, against trusted: Policy) -> PolicyDecision {
        guard let signature = candidate.signature else {
            return .denied(reason: "policy v\(candidate.version) is not signed")
        }
        guard let signer = trusted.unit(signature.signer), signer.has(.governance), let raw = signer.signingKey,
              let key = try? Ed25519PublicKey(rawRepresentation: raw) else {
            return .denied(reason: "\"\(signature.signer)\" is not a governance unit with a signing key in policy v\(trusted.version)")
        }
        guard key.isValidSignature(signature.value, for: candidate.canonicalJSON()) else {
            return .denied(reason: "the signature of policy v\(candidate.version) does not verify under the key of \"\(signature.signer)\" (policy v\(trusted.version))")
        }
        return .allowed
    }

    static func parse(_ text: [UInt8]) throws -> Policy {
        do {
            return try Policy.parse(text)
        } catch {
            throw NodeError(.invalidPolicy, "the policy is not valid", cause: error)
        }
    }
}

extension Node {
    /// The signed policy document the node holds, as its file has it.
    public func policyDocument() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: Self.resolve(config.policy, in: directory)) else {
            throw NodeError(.invalidPolicy, "cannot read the node's policy file")
        }
        return [UInt8](data)
    }

    /// Adopts a newer policy, after ``PolicyTrust/checkUpdate(_:held:)``: the file is replaced
    /// atomically, the node uses the new rules from now on, and the share classes the new version
    /// no longer lets this unit receive are purged (other units' batches and entries of them).
    /// - Returns: the adopted policy.
    /// - Throws: ``NodeError`` `.notAllowed` with the reason; nothing changes then.
    @discardableResult
    public func adoptPolicy(_ text: [UInt8]) throws -> Policy {
        let candidate = try PolicyTrust.parse(text)
        if case .denied(let reason) = PolicyTrust.checkUpdate(candidate, held: policy) { throw NodeError(.notAllowed, reason) }
        guard candidate.isMember(unit.rawValue) else {
            throw NodeError(.notAllowed, "policy v\(candidate.version) does not list unit \(unit) as a member")
        }
        do {
            try Data(text).write(to: URL(fileURLWithPath: Self.resolve(config.policy, in: directory)), options: .atomic)
        } catch {
            throw NodeError(.storage, "cannot write the policy", cause: error)
        }
        let old = policy
        policy = candidate
        // A class this unit no longer receives is purged; a class it receives again is no longer "purged".
        let me = unit.rawValue
        let classes = Set(old.shareClasses.map(\.name)).union(candidate.shareClasses.map(\.name))
        let removed = classes.filter { old.mayReceive(unit: me, shareClass: $0) && !candidate.mayReceive(unit: me, shareClass: $0) }
        let added = classes.filter { !old.mayReceive(unit: me, shareClass: $0) && candidate.mayReceive(unit: me, shareClass: $0) }
        do {
            _ = try store.purge(classes: removed, classOf: { old.attribute($0.rawValue)?.shareClass }, policyVersion: candidate.version, now: now())
            try store.forgetPurges(of: added)
        } catch {
            throw NodeError(.storage, "adopted policy v\(candidate.version) but could not purge \(removed.sorted())", cause: error)
        }
        return candidate
    }

    /// Installs a new policy version in a node directory (``adoptPolicy(_:)``). Restart a serving
    /// node to use it; its peers then receive it through sync.
    /// - Returns: the installed policy.
    /// - Throws: ``NodeError`` `.invalidPolicy` or `.notAllowed` with the reason; nothing changes then.
    /// - Parameter action: the audit log's action (`policy.install`, or `policy.publish` for governance publishing).
    @discardableResult
    public static func installPolicy(_ text: [UInt8], directory: String, action: String = "policy.install") throws -> Policy {
        let node = try Node(directory: directory)
        let policy = try node.adoptPolicy(text)
        try node.audit(action, subject: "policy v\(policy.version)", detail: policy.signature.map { "signed by \($0.signer)" })
        return policy
    }

    /// Publishes a policy version from the governance node: signs it with this node's key unless
    /// this node's valid signature is already on it, checks that the node accepts it (newer, same
    /// federation), and installs it. A running `accord serve` of the node adopts it within a
    /// second and sends it to every peer; each adopts it if signed by a governance key it holds.
    /// - Returns: the signed document and the policy.
    /// - Throws: ``NodeError`` `.notAllowed` when this node is not a governance unit of the policy
    ///   or the node would refuse it, `.invalidPolicy` for a malformed document.
    public static func publishPolicy(_ text: [UInt8], directory: String) throws -> (document: [UInt8], policy: Policy) {
        let node = try Node(directory: directory)
        var document = text
        let parsed = try PolicyTrust.parse(text)
        if parsed.signature?.signer != node.unit.rawValue || !PolicyTrust.checkSignature(parsed).isAllowed {
            document = try node.signPolicy(text)
        }
        let candidate = try PolicyTrust.parse(document)
        if case .denied(let reason) = PolicyTrust.checkUpdate(candidate, held: node.policy) { throw NodeError(.notAllowed, reason) }
        return (document, try installPolicy(document, directory: directory, action: "policy.publish"))
    }

}
