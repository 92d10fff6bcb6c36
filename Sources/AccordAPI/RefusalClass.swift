import Foundation
/// The class of a refused batch's reason, a short label for `/metrics` and the dashboard
/// (the reason itself names the batch, so it is not a label value).
public enum RefusalClass: String, CaseIterable, Sendable {
    /// The author is not a member of the federation.
    case membership
    /// No signing key for the author, or the signature does not verify.
    case signature
    /// The share class is unknown or the node is not in its audience.
    case shareClass = "share_class"
    /// Written under another policy version.
    case policyVersion = "policy_version"
    /// A leaf does not decode.
    case malformed
    /// A leaf breaks a rule of the policy (catalog, write rules, validation, consent, erasure).
    case rule
    /// Anything else (storage, clock).
    case other

    /// Classifies a reason as ``AccordNode/BatchAdmission`` and the engine word them.
    static func of(_ reason: String) -> RefusalClass {
        if reason.contains("is not a member of federation") { return .membership }
        if reason.contains("signing key") || reason.contains("signature") { return .signature }
        if reason.contains("is not in the audience of class") || reason.contains("\" is not in policy v") { return .shareClass }
        if reason.contains(": written under policy v") { return .policyVersion }
        if reason.contains("does not decode") { return .malformed }
        if reason.contains(": leaf ") && reason.contains("(record ") { return .rule }
        return .other
    }
}
