public import AccordPolicy
import AccordModel
public import Foundation

/// A consent receipt for one decision, in the spirit of the Kantara Initiative's Consent Receipt
/// specification: who collected it, from whom, when, how, under which notice, for what, until when.
public enum ConsentReceipt {
    /// The receipt of a consent entry as JSON.
    /// - Parameters:
    ///   - entry: the decision.
    ///   - policy: the policy (for the collecting unit's name and the federation).
    ///   - issuedAtMillis: when the receipt is issued.
    public static func json(for entry: ConsentEntry, policy: Policy, issuedAtMillis: Int64) throws -> Data {
        let iso = ISO8601DateFormatter()
        func time(_ millis: Int64) -> String { iso.string(from: Date(timeIntervalSince1970: Double(millis) / 1000)) }
        let decision = entry.decision
        let collector = policy.unit(decision.collectedBy.rawValue)
        // The decision as the customer gave it; a scope widened by a propagation rule is shown beside it.
        let recorded = entry.widenedBy?.from ?? entry.topic
        var purpose: [String: Any] = [
            "purpose": entry.topic.purpose,
            "consentType": decision.expressed ? "EXPRESSED" : "IMPLIED",
            "decision": decision.choice == .optIn ? "opt-in" : "opt-out",
            "channel": entry.topic.channel,
            "scope": recorded.scope.description,
        ]
        if let widening = entry.widenedBy {
            purpose["effectiveScope"] = entry.topic.scope.description
            purpose["propagationRule"] = widening.rule
        }
        if let frequency = decision.frequency { purpose["frequency"] = frequency }
        if let expires = decision.expiresAtMillis { purpose["termination"] = time(expires) }
        var notice: [String: Any] = ["version": decision.noticeVersion]
        if !decision.noticeHash.isEmpty { notice["sha256"] = decision.noticeHash.map { String(format: "%02x", $0) }.joined() }
        let receipt: [String: Any] = [
            "version": "accord-consent-receipt/1",
            "consentReceiptID": "\(entry.author.rawValue):\(entry.record):\(recorded.attribute.rawValue):\(decision.decidedAtMillis)",
            "iat": time(issuedAtMillis),
            "consentTimestamp": time(decision.decidedAtMillis),
            "collectionMethod": decision.method,
            "piiPrincipalId": entry.record.description,
            "piiControllers": [["piiController": collector?.name ?? decision.collectedBy.rawValue, "unit": decision.collectedBy.rawValue,
                                "federation": policy.federation]],
            "notice": notice,
            "services": [["service": entry.topic.channel, "purposes": [purpose]]],
            "policyVersion": policy.version,
        ]
        return try JSONSerialization.data(withJSONObject: receipt, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
