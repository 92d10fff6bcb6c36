/// The governance team's signature on a policy: which governance unit signed, and the Ed25519
/// signature over the policy's canonical JSON (``Policy/canonicalJSON()``, which leaves the signature out).
public struct PolicySignature: Sendable, Equatable {
    /// The signing unit; it has role `governance` and a `signingKey` in the policy that vouches for this one.
    public let signer: String
    /// The 64-byte Ed25519 signature.
    public let value: [UInt8]

    /// Creates a signature.
    public init(signer: String, value: [UInt8]) {
        self.signer = signer
        self.value = value
    }
}
