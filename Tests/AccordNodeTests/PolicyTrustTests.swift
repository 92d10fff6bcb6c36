import AccordCrypto
import AccordNode
import AccordPolicy
import Foundation
import Testing

@Suite("Signed policies")
struct PolicyTrustTests {
    /// A node of retail holding v1 (with the governance key), the governance key, and v2's text.
    func setUp(_ directory: String) throws -> (retail: String, governanceKey: Ed25519PrivateKey, v2: [UInt8]) {
        let nodes = try makeNodes(["governance", "retail"], in: directory)
        let key = try Ed25519PrivateKey.read(fromFile: nodes[0].directory + "/keys/signing.pem")
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: nodes[1].directory + "/policy.json"))) as! [String: Any]
        document["version"] = 2
        return (nodes[1].directory, key, [UInt8](try JSONSerialization.data(withJSONObject: document)))
    }

    @Test func aSignedNewerVersionIsInstalled() throws {
        try withTemporaryDirectory { directory in
            let (retail, key, v2) = try setUp(directory)
            let signed = try PolicyTrust.sign(v2, signer: "governance", key: key)
            let policy = try Policy.parse(signed)
            #expect(policy.signature?.signer == "governance")
            #expect(PolicyTrust.checkSignature(policy) == .allowed)
            #expect(try Node.installPolicy(signed, directory: retail).version == 2)
            #expect(try Node(directory: retail).policy.version == 2)
            // The same version again is a replay.
            #expect(throws: NodeError(.notAllowed, "")) { try Node.installPolicy(signed, directory: retail) }
        }
    }

    @Test func unsignedForgedTamperedAndForeignPoliciesAreRefused() throws {
        try withTemporaryDirectory { directory in
            let (retail, key, v2) = try setUp(directory)
            let held = try Node(directory: retail).policy
            func reason(_ text: [UInt8]) throws -> String? {
                if case .denied(let reason) = PolicyTrust.checkUpdate(try Policy.parse(text), held: held) { return reason }
                return nil
            }
            #expect(try reason(v2)?.contains("is not signed") == true)

            // Signed with another key under the governance name.
            let forger = try Ed25519PrivateKey.generate()
            let parsed = try Policy.parse(v2)
            let forged = parsed.signedDocument(PolicySignature(signer: "governance", value: try forger.signature(for: parsed.canonicalJSON())))
            #expect(try reason(forged)?.contains("does not verify under the key of \"governance\"") == true)

            // A real signature, then a change: the maximum length of given_name.
            let signed = try PolicyTrust.sign(v2, signer: "governance", key: key)
            var text = String(decoding: signed, as: UTF8.self)
            text = text.replacingOccurrences(of: "\"maxLength\":100", with: "\"maxLength\":101")
            #expect(try reason(Array(text.utf8))?.contains("does not verify") == true)

            // A business unit cannot sign; a governance key of another federation is not trusted.
            let retailKey = try Ed25519PrivateKey.read(fromFile: retail + "/keys/signing.pem")
            #expect(throws: NodeError(.notAllowed, "")) { try PolicyTrust.sign(v2, signer: "retail", key: retailKey) }
            var other = try JSONSerialization.jsonObject(with: Data(v2)) as! [String: Any]
            other["federation"] = "globex"
            let foreign = try PolicyTrust.sign([UInt8](try JSONSerialization.data(withJSONObject: other)), signer: "governance", key: key)
            #expect(try reason(foreign)?.contains("federation \"globex\"") == true)
            #expect(try Node(directory: retail).policy.version == 1, "a refused policy must change nothing")
        }
    }

    @Test func diffNamesWhatChanged() throws {
        try withTemporaryDirectory { directory in
            let (retail, _, v2) = try setUp(directory)
            var document = try JSONSerialization.jsonObject(with: Data(v2)) as! [String: Any]
            document["writeRules"] = []
            var attributes = document["attributes"] as! [[String: Any]]
            attributes.removeAll { $0["name"] as? String == "iban" }
            document["attributes"] = attributes
            let new = try Policy.parse([UInt8](try JSONSerialization.data(withJSONObject: document)))
            let lines = PolicyDiff.changes(from: try Node(directory: retail).policy, to: new)
            #expect(lines.contains("version: 1 -> 2"))
            #expect(lines.contains("- attribute iban"))
            #expect(lines.contains { $0.hasPrefix("- write rule: support may write email,phone") })
        }
    }
}
